/**
 * Loads a `Pulumi.<stack>.yaml` the way the CLI hands it to the program: every key as JSON, and
 * a key holding any `secure:` value listed as secret (its value replaced by a placeholder: the
 * offline plan and the tests need no secrets provider and cannot decrypt it).
 */
import { rawPlatformConfig } from "./parse";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./root";
import { parse } from "yaml";
import { findProblems } from "./plan";
import { folderLoader } from "./migrations/files";

export const ROOT = PROJECT_ROOT;

export function stackNames(): string[] {
    return fs.readdirSync(ROOT).flatMap((f) => {
        const m = /^Pulumi\.(.+)\.yaml$/.exec(f);
        return m ? [m[1]] : [];
    });
}

function replaceSecure(v: unknown, found: { secret: boolean }): unknown {
    if (Array.isArray(v)) return v.map((x) => replaceSecure(x, found));
    if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        if (Object.keys(o).length === 1 && typeof o.secure === "string") {
            found.secret = true;
            return "decrypted-in-real-runs";
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, replaceSecure(x, found)]));
    }
    return v;
}

export function loadStackConfig(stack: string): { config: Record<string, unknown>; secretKeys: string[] } {
    const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const found = { secret: false };
        config[key] = replaceSecure(value, found);
        if (found.secret) secretKeys.push(key);
    }
    return { config, secretKeys };
}

export type StackConfigFile = ReturnType<typeof loadStackConfig>;

/**
 * A stack file's config validated as the program validates it (`findProblems`, the repo's
 * migrations folder): the spec, or the problems that stop `pulumi up`.
 */
export function stackSpec(stack: string, { config, secretKeys }: StackConfigFile = loadStackConfig(stack)): ReturnType<typeof findProblems> {
    return findProblems(rawPlatformConfig((key) => config[`servicedb:${key}`], secretKeys.includes("servicedb:clusters"), stack),
        folderLoader(path.join(ROOT, "migrations")));
}
