/**
 * The servicedb command as a process, compiled (bin/scripts/servicedb.js): help and version, usage
 * errors, the commands where the Pulumi CLI is missing (as on this project's CI machine), the npm
 * script aliases and the package's "bin". test/globalSetup.js builds bin/ before any test when
 * it is stale; no test here has a tight timeout.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { COMMANDS } from "../../src/cli/commands";
import { helpText, usageLine } from "../../src/cli/usage";
import { BIN, NO_PULUMI, ROOT, servicedb } from "./servicedbProcess";

const SLOW = 180_000;
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; bin: Record<string, string>; scripts: Record<string, string> };

test("servicedb --help and -h: the usage and the commands on stdout, exit 0", async () => {
    for (const flag of ["--help", "-h"]) {
        const r = await servicedb([flag]);
        expect(r).toMatchObject({ code: 0, stderr: "" });
        expect(r.stdout).toMatch(/^usage: servicedb <command> \[options\]\n/);
        for (const name of Object.keys(COMMANDS)) expect(r.stdout).toContain(`  ${name} `);
    }
}, SLOW);

test.each(Object.keys(COMMANDS))("servicedb %s --help: its usage and options on stdout, exit 0", async (name) => {
    const spec = COMMANDS[name as keyof typeof COMMANDS];
    const r = await servicedb([name, "--help"]);
    expect(r).toEqual({ code: 0, stdout: `${helpText(spec)}\n`, stderr: "" });
    expect((await servicedb([name, "-h"])).code).toBe(0);
}, SLOW);

test("servicedb --version prints package.json's version, exit 0", async () => {
    expect(await servicedb(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
}, SLOW);

test.each([
    ["verify", ["--outputs", "o.json", "--nope"], "servicedb verify: unknown option --nope"],
    ["split", ["copy", "--plan", "p.yaml", "--stack", "s", "-x"], "servicedb split: unknown option -x"],
    ["repair", [], "servicedb repair: --stack is required (the stack to repair)"],
    ["migrate", ["info", "--dir", "migrations/orders"], "servicedb migrate: --url is required (or set DATABASE_URL)"],
    ["restore", ["--stack", "s", "--service", "orders"], "servicedb restore: --from is required (the .dump file or its .json manifest)"],
    ["plan", ["--stack"], "servicedb plan: --stack needs a value"],
    ["status", ["--outputs", "o.json", "--json=yes"], "servicedb status: --json takes no value"],
])("servicedb %s %j: one line and the usage on stderr, exit 2", async (name, args, line) => {
    const env = { ...process.env, DATABASE_URL: "" };
    const r = await servicedb([name, ...args], env);
    expect(r).toEqual({ code: 2, stdout: "", stderr: `${line}\n${usageLine(COMMANDS[name as keyof typeof COMMANDS])}\n` });
}, SLOW);

test("servicedb with an unknown command or none: one line and the commands, exit 2", async () => {
    for (const args of [["frob"], []]) {
        const r = await servicedb(args);
        expect(r.code).toBe(2);
        expect(r.stderr.split("\n")[0]).toBe(args.length ? "servicedb: no such command: frob" : "servicedb: no command given");
        expect(r.stderr).toContain("usage: servicedb <command>");
    }
}, SLOW);

test("verify --stack without the Pulumi CLI: one line, exit 1", async () => {
    const r = await servicedb(["verify", "--stack", "local"], NO_PULUMI);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("servicedb verify: --stack local needs the Pulumi CLI, which is not on PATH; install it, or use --outputs <file>");
}, SLOW);

test("npm run up without the Pulumi CLI says what to install, and changes nothing", async () => {
    // No network, whatever this machine has: the installer cannot be downloaded (an unreachable
    // proxy), and an empty install root of the test's own.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-up-root-"));
    const env = { ...NO_PULUMI, SERVICEDB_PULUMI_ROOT: root, HTTPS_PROXY: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9", NODE_USE_ENV_PROXY: "1" };
    const r = await promisify(execFile)("bash", ["scripts/up.sh", "dev"], { cwd: ROOT, env }).then(() => ({ code: 0, stderr: "" }), (e: { code: number; stderr: string }) => e);
    fs.rmSync(root, { recursive: true, force: true });
    expect(r.code).toBe(1);
    // One line that says to install the CLI (scripts/up.sh, scripts/ensure-pulumi.js word it).
    expect(r.stderr.trim()).toMatch(/^servicedb: the Pulumi CLI is not on PATH\b[^\n]*Install it[^\n]*https:\/\/www\.pulumi\.com\/docs\/install\/[^\n]*then run 'npm run up' again\.$/);
}, SLOW);

test("the npm scripts are aliases of the one command: npm run policy-config runs it through scripts/cli.js", async () => {
    for (const name of Object.keys(COMMANDS)) expect(pkg.scripts[name]).toBe(`node scripts/cli.js ${name}`);
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "policy-config", "--", "--stack", "local"], { cwd: ROOT });
    const config = JSON.parse(stdout) as Record<string, { servers: Record<string, { maxConnections: number }> }>;
    expect(Object.keys(config["postgresql-connection-budget"].servers)).toContain("127.0.0.1:5432");
}, SLOW);

test("package.json's bin is the compiled command, and the package ships it with the commands it loads", async () => {
    expect(path.join(ROOT, pkg.bin.servicedb)).toBe(BIN);
    expect(fs.readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining([pkg.bin.servicedb, "bin/src/cli/main.js", "bin/src/verify/cli.js", "bin/src/migrations/cli.js", "bin/scripts/plan.js", "bin/scripts/policyConfig.js"]));
    expect(files.filter((f) => f.endsWith(".map") || f.includes("commandsDoc"))).toEqual([]);
}, SLOW);
