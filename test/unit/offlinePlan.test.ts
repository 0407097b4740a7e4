import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { offlinePlan } from "../../src/offlinePlan";
import { stackNames } from "../../src/stackFile";

test("the dev plan lists every service with placement, names, limits, extensions and migrations", () => {
    const plan = offlinePlan("dev");
    expect(plan.ok).toBe(true);
    const lines = plan.markdown.split("\n");
    expect(lines[0]).toBe("### servicedb plan: stack `dev`");
    expect(lines).toContain("| k-indexer | container `k-indexer` (timescale/timescaledb:latest-pg16, 127.0.0.1:5433) | ksocial | k_indexer | 20 | timescaledb | public | V001__create_vars.sql, V002__create_blocks.sql | stmt 1min lock 10s idle 1min mem 4MB | — | 7 |");
    // On Docker alone: the shared server is a container too.
    expect(lines).toContain("| notifications | container `shared` (postgres:17, 127.0.0.1:5435) | notifications | notifications | 5 | — | public | V001__create_outbox.sql | stmt 1min lock 10s idle 1min mem 4MB | — | 2 |");
    expect(lines).toContain("| container `shared` | 5 + 10 reserved = 15 | 100 |");
});

test.each(stackNames())("every stack file has a plan (%s)", (stack) => {
    expect(offlinePlan(stack).ok).toBe(true);
});

test("a bad config gives the problems instead of a table", () => {
    const plan = offlinePlan("broken", {
        config: { "servicedb:clusters": { main: { host: "h", maxConnections: 20 } }, "servicedb:services": { a: { cluster: "main", connectionLimit: 15 } } },
        secretKeys: [],
    });
    expect(plan.ok).toBe(false);
    expect(plan.markdown).toBe([
        "### servicedb plan: stack `broken`",
        "",
        "**The config has 1 problem(s); `pulumi up` would stop before creating anything:**",
        "",
        "- cluster \"main\", field \"maxConnections\": the services' connection limits (a=15 = 15) plus reservedConnections (10) need 25, but maxConnections is 20. Fix: lower some services' connectionLimit by 5 in total, or raise maxConnections (and the server's max_connections) to 25.",
        "",
    ].join("\n"));
});

test("npm run plan prints the plan and exits 0; an unknown stack exits 2", async () => {
    const run = promisify(execFile);
    const root = path.resolve(__dirname, "../..");
    const ok = await run("npm", ["run", "-s", "plan", "--", "--stack", "local"], { cwd: root });
    expect(ok.stdout).toMatch(/^### servicedb plan: stack `local`\n/);
    expect(ok.stdout).toContain("| e2e-payments | cluster `local` (127.0.0.1:5432) | sdb_e2e_payments | sdb_e2e_payments (+ sdb_e2e_payments_reader) | 5 | — | public, ledger | — |");
    const bad = await run("npm", ["run", "-s", "plan", "--", "--stack", "nope"], { cwd: root }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toMatch(/^servicedb plan: --stack must name one of: /);
}, 60_000);
