/**
 * `split copy` with the server cutting a target session after each of its statements in turn (as
 * a restart or failover would), then run again: the copy completes, `split verify` finds every
 * table equal to the monolith's (no row missing, none twice), and `split rollback` leaves the
 * targets empty for the next cut.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runSplit } from "../../src/split/cli";
import { Monolith, buildMonolith } from "./monolith";
import { withCutAfter } from "./cuts";

const ROOT = path.resolve(__dirname, "../..");
const PLAN = path.join(ROOT, "split", "monolith.yaml");
let dir: string;
let mono: Monolith;

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdb-splitcut-"));
    mono = await buildMonolith(dir, 300);
}, 120_000);
afterAll(async () => {
    await mono?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
});

async function split(...argv: string[]): Promise<{ code: number; out: string }> {
    let out = "";
    const code = await runSplit([...argv, "--plan", PLAN, "--outputs", mono.outputsFile], {
        out: (l) => { out += `${l}\n`; }, err: (l) => { out += `${l}\n`; }, write: (t) => { out += t; }, isTty: false,
    }, { MONOLITH_DATABASE_URL: mono.sourceUrl });
    return { code, out };
}

/** The copy's sessions on the targets: the services' own logins (not the monolith's). */
const targets = (s: { user?: string }) => s.user !== undefined && mono.targets.some((t) => t.role === s.user);

test("copy cut after each of its target statements, then run again: verify finds every table equal, no row twice", async () => {
    const ref = await withCutAfter(0, targets, () => split("copy"));
    expect(ref.value?.code).toBe(0);
    expect((await split("rollback")).code).toBe(0);
    expect(ref.statements).toBeGreaterThan(20);
    for (let k = 1; k <= ref.statements; k++) {
        await withCutAfter(k, targets, () => split("copy"));
        const again = await split("copy");
        expect({ k, code: again.code, out: again.code === 0 ? "" : again.out }).toEqual({ k, code: 0, out: "" });
        const verified = await split("verify");
        expect({ k, differs: verified.out.includes("DIFFERS"), code: verified.code }).toEqual({ k, differs: false, code: 0 });
        expect((await split("rollback")).code).toBe(0);
    }
}, 1_200_000);
