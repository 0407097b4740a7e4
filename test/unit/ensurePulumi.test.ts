/**
 * scripts/ensure-pulumi.js, what `npm run up` runs when the Pulumi CLI is not on PATH: an install
 * root that already holds the SDK's version is used as it is (no download), and where the
 * installer cannot be downloaded one line says so and how to install the CLI by hand.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;

function run(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, [path.join(ROOT, "scripts/ensure-pulumi.js")], { env: { ...process.env, ...env }, timeout: 120_000 },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
    });
}

test("an install root that already has the SDK's version: used as it is, nothing downloaded", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-pulumi-root-"));
    try {
        fs.mkdirSync(path.join(root, "bin"));
        // A stand-in CLI that answers `pulumi version` like the real one.
        fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/sh\necho v${VERSION}\n`, { mode: 0o755 });
        const r = await run({ SERVICEDB_PULUMI_ROOT: root });
        expect(r).toEqual({ code: 0, stdout: `${path.join(root, "bin")}\n`, stderr: "" });
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}, 120_000);

test("no CLI and no way to download the installer: one line with the version and how to install by hand", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-pulumi-root-"));
    try {
        // An unreachable proxy stands for a machine without network (no download can succeed).
        const r = await run({ SERVICEDB_PULUMI_ROOT: root, HTTPS_PROXY: "http://127.0.0.1:9", https_proxy: "http://127.0.0.1:9", NODE_USE_ENV_PROXY: "1" });
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(`v${VERSION} could not be installed into ${root}`);
        expect(r.stderr).toContain("Install it by hand (https://www.pulumi.com/docs/install/");
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}, 120_000);
