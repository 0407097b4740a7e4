/**
 * The package as its users get it: `npm pack` holds built JavaScript and declarations only, and
 * examples/own-program, installed from that tarball in a folder of its own, type-checks against
 * the declarations and passes its tests under mocks.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { firstLine } from "./servicedbProcess";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = path.join(ROOT, "examples", "own-program");
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_loglevel: "error" } });

let work: string;
let tarball: string;
let files: string[];

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-pack-"));
    // `npm pack` runs `prepare` (the build) first, as publishing does.
    const out = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work], ROOT)) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(work, out[0].filename);
    files = out[0].files.map((f) => f.path);
}, 300_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test("built JavaScript and declarations, no TypeScript sources, tests or source maps", () => {
    expect(files).toEqual(expect.arrayContaining([
        "package.json", "README.md", "bin/lib/index.js", "bin/lib/index.d.ts", "bin/consumer/index.js", "bin/consumer/index.d.ts",
        "bin/components/serviceDatabase.js", "bin/components/serviceDatabase.d.ts", "bin/src/migrations/provider.js",
        "plugin/pulumi-resource-servicedb", "bin/src/plugin/main.js",
    ]));
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => /^(test|bench|examples|policy|provider|migrations)\//.test(f) || f.endsWith(".map"))).toEqual([]);
});

test("examples/own-program installed from the tarball: type-checks and passes its tests", async () => {
    const app = path.join(work, "own-program");
    fs.cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !/node_modules|\.pulumi-state|\.tgz$/.test(src) });
    const pkg = JSON.parse(fs.readFileSync(path.join(app, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    pkg.dependencies.servicedb = `file:${tarball}`;
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(pkg, null, 2));
    // Every dependency is already in npm's cache (the repository's own install).
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
    expect(fs.existsSync(path.join(app, "node_modules", "servicedb", "bin", "lib", "index.js"))).toBe(true);
    expect(fs.existsSync(path.join(app, "node_modules", "servicedb", "lib"))).toBe(false);

    // The installed plugin starts from the package's compiled code and prints its port, as the engine expects.
    const plugin = path.join(app, "node_modules", "servicedb", "plugin", "pulumi-resource-servicedb");
    expect(fs.statSync(plugin).mode & 0o111).not.toBe(0);
    expect(await firstLine(plugin, app)).toMatch(/^\d+$/);

    run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", app, "--typeRoots", path.join(ROOT, "node_modules", "@types")], app);

    const config = {
        rootDir: app, testEnvironment: "node", testMatch: ["<rootDir>/test/*.test.ts"],
        transform: { "^.+\\.ts$": [path.join(ROOT, "node_modules", "ts-jest"), { diagnostics: false }] },
    };
    const out = run(process.execPath, [path.join(ROOT, "node_modules", "jest", "bin", "jest.js"), "--ci", "--config", JSON.stringify(config), "--json"], app);
    const result = JSON.parse(out) as { numPassedTests: number; numFailedTests: number; testResults: { name: string }[] };
    expect(result.numFailedTests).toBe(0);
    expect(result.numPassedTests).toBeGreaterThanOrEqual(5);
}, 600_000);
