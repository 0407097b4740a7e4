/**
 * The project directory: the nearest folder above this file that holds Pulumi.yaml. The same
 * answer whether the code runs from its TypeScript sources or compiled into bin/.
 */
import * as fs from "fs";
import * as path from "path";

export function findProjectRoot(from: string): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return path.resolve(from, "..");
    }
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
