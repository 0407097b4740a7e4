/** The commands' behaviour where the Pulumi CLI is missing (as on this project's CI machine). */
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";

const ROOT = path.resolve(__dirname, "../..");
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(cmd, args, { cwd: ROOT, env }).then(() => ({ code: 0, stderr: "" }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));

// A PATH with node and npm but certainly no pulumi.
const noPulumi = { ...process.env, PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter) };

test("npm run up without the Pulumi CLI says what to install, and changes nothing", async () => {
    const r = await run("bash", ["scripts/up.sh", "dev"], noPulumi);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("servicedb: the Pulumi CLI is not on PATH. Install it (https://www.pulumi.com/docs/install/), then run 'npm run up' again.");
}, 30_000);

test("verify --stack without the Pulumi CLI: one line, exit 1", async () => {
    const r = await run(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/verify.ts", "--stack", "local"], noPulumi);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("servicedb verify: --stack local needs the Pulumi CLI, which is not on PATH; install it, or use --outputs <file>");
}, 30_000);

test("npm run policy-config prints the stack's budget config (the launcher runs the command, not only loads it)", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "policy-config", "--", "--stack", "local"], { cwd: ROOT });
    const config = JSON.parse(stdout) as Record<string, { servers: Record<string, { maxConnections: number }> }>;
    expect(Object.keys(config["postgresql-connection-budget"].servers)).toContain("127.0.0.1:5432");
}, 60_000);
