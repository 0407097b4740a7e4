/**
 * End to end: `pulumi preview --policy-pack policy` on a real engine. The `local` stack of this
 * repository passes with the config `npm run policy-config` derives; a small program that breaks
 * the rules one way each fails, with every policy's message. Skips with one line when the CLI,
 * the plugins, the nodejs language host (or the older policy analyzer) or policy/node_modules are missing.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, PolicyEvent, Stack } from "@pulumi/pulumi/automation";
import { policyConfigOfStack } from "../../scripts/policyConfig";
import { engineMissing, projectCopy, ROOT, skipSuite, Workspace } from "./engine";

const POLICY = path.join(ROOT, "policy");
const PREVIEW_TIMEOUT_MS = 300_000;

/** Why the pack cannot run here, or undefined. */
function packMissing(): string | undefined {
    const engine = engineMissing(["postgresql", "random"]);
    if (engine) return engine;
    // A CLI that finds the nodejs language host runs a nodejs pack through it (Pulumi 3.1xx and
    // later); older ones need the pulumi-analyzer-policy script shipped next to the CLI.
    try {
        execFileSync("sh", ["-c", "command -v pulumi-language-nodejs || command -v pulumi-analyzer-policy"], { stdio: "ignore", timeout: 10_000 });
    } catch {
        return "neither the nodejs language host (pulumi-language-nodejs) nor the policy analyzer (pulumi-analyzer-policy) is on PATH";
    }
    return fs.existsSync(path.join(POLICY, "node_modules", "@pulumi", "policy")) ? undefined : "policy/node_modules is missing (npm ci --prefix policy)";
}

/** Runs a preview with the pack; returns the policy events and whether the preview failed. */
async function previewWithPack(stack: Stack, configFile?: string): Promise<{ failed: boolean; events: PolicyEvent[]; output: string }> {
    const events: PolicyEvent[] = [];
    let output = "";
    try {
        await stack.preview({
            policyPacks: [POLICY], policyPackConfigs: configFile ? [configFile] : undefined, signal: AbortSignal.timeout(PREVIEW_TIMEOUT_MS),
            onOutput: (o) => { output += o; }, onEvent: (e: EngineEvent) => { if (e.policyEvent) events.push(e.policyEvent); },
        });
        return { failed: false, events, output };
    } catch (e) {
        return { failed: true, events, output: `${output}\n${(e as Error).message}` };
    }
}

/** A program that breaks the rules, one way per policy; needs no server (preview only). */
const BROKEN_PROGRAM = `
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
const remote = new postgresql.Provider("remote", { host: "db.example.invalid", port: 5432, username: "admin", sslmode: "disable", superuser: false });
const p = { provider: remote };
new postgresql.Role("app-role", { name: "app", login: true, superuser: true, password: "hunter2" }, p);
new postgresql.Database("app-db", { name: "app", owner: "app" }, p);
const pw = new random.RandomPassword("other-password", { length: 30, special: false });
new postgresql.Role("other-role", { name: "other", login: true, connectionLimit: 5, statementTimeout: 30000, password: pw.result }, p);
new postgresql.Database("other-db", { name: "other", owner: "other" }, p);
new postgresql.Grant("other-revoke", { database: "other", role: "public", objectType: "database", privileges: [] }, p);
new postgresql.Grant("app-in-other", { database: "other", role: "app", objectType: "database", privileges: ["CONNECT"] }, p);
new postgresql.Database("orphan-db", { name: "orphan" }, p);
new postgresql.Grant("orphan-revoke", { database: "orphan", role: "public", objectType: "database", privileges: [] }, p);
`;

/** The project copied with its index.ts replaced by the broken program. */
const brokenProgram = () => projectCopy("broken", "config: {}\n", { "index.ts": BROKEN_PROGRAM });

const missing = packMissing();
if (missing) {
    skipSuite("end-to-end (pulumi preview --policy-pack policy)", missing);
} else {
    describe("pulumi preview --policy-pack policy", () => {
        let ws: Workspace | undefined;
        let broken: Workspace | undefined;
        afterAll(() => {
            ws?.cleanup();
            broken?.cleanup();
        });

        test("the local stack passes, with the budget config derived from its stack file", async () => {
            ws = await projectCopy("local");
            const configFile = path.join(ws.dir, "policy-config.json");
            fs.writeFileSync(configFile, JSON.stringify(policyConfigOfStack("local").config));
            const run = await previewWithPack(ws.stack, configFile);
            expect(run.events.map((e) => `${e.policyName}: ${e.message}`)).toEqual([]);
            expect(run.failed).toBe(false);
            expect(run.output).toContain("servicedb-isolation");
        }, PREVIEW_TIMEOUT_MS + 60_000);

        test("a program that breaks the rules fails, each policy naming the resource, the field and the fix", async () => {
            broken = await brokenProgram();
            const run = await previewWithPack(broken.stack);
            expect(run.failed).toBe(true);
            // The engine's message is the policy's description, then the violation.
            const seen = run.events.map((e) => `${e.policyName} [${e.enforcementLevel}] ${e.message.trim().split("\n").pop() ?? ""}`);
            for (const expected of [
                /^postgresql-login-role-attributes \[mandatory\] postgresql\.Role "app-role" \(app\): superuser is true — .*set superuser: false\./,
                /^postgresql-login-role-attributes \[mandatory\] postgresql\.Role "app-role" \(app\): connectionLimit is -1 \(unlimited\)/,
                /^postgresql-role-password \[mandatory\] postgresql\.Role "app-role" \(app\): password is a plain value written in the program/,
                /^postgresql-database-public-revoke \[mandatory\] postgresql\.Database "app-db" \(app\): no PUBLIC revoke on the same provider/,
                /^postgresql-database-owner \[mandatory\] postgresql\.Database "orphan-db" \(orphan\): owner is unset/,
                /^postgresql-cross-service-access \[mandatory\] postgresql\.Grant "app-in-other": gives role "app" \(owner of database "app"\) \[CONNECT\] in database "other"/,
                /^postgresql-provider-tls \[mandatory\] postgresql\.Provider "remote": sslmode is "disable" for host "db\.example\.invalid"/,
                /^postgresql-statement-timeout \[advisory\] postgresql\.Role "app-role" \(app\): logs in without a statement timeout/,
            ]) {
                expect(seen).toContainEqual(expect.stringMatching(expected));
            }
            expect(seen.filter((s) => s.includes("other-role") || s.includes("other-db"))).toEqual([]);
        }, PREVIEW_TIMEOUT_MS + 60_000);

        test("policy config turns the pack advisory: the same program previews, with warnings", async () => {
            broken ??= await brokenProgram();
            const configFile = path.join(broken.dir, "advisory.json");
            fs.writeFileSync(configFile, JSON.stringify({ all: "advisory" }));
            const run = await previewWithPack(broken.stack, configFile);
            expect(run.failed).toBe(false);
            expect(run.events.length).toBeGreaterThanOrEqual(7);
            expect(new Set<string>(run.events.map((e) => e.enforcementLevel))).toEqual(new Set(["advisory"]));
        }, PREVIEW_TIMEOUT_MS + 60_000);
    });
}
