/**
 * Carries a repair plan out: the state edit (./stateEdit.ts) through `pulumi stack export` and
 * `pulumi stack import`, then one non-interactive `pulumi refresh` that reads every resource back
 * from its server (the imported ones included) and clears the pending updates and deletes; then a
 * fresh export proves that no pending create is left and that every import landed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan } from "./decide";
import { Pulumi, RepairError, failureLine, refreshArgs } from "./pulumi";
import { readExport } from "./state";
import { settlePendingCreates } from "./stateEdit";

/** What is still wrong after the refresh: pending creates left, imports missing from the resources. */
export function leftAfterRefresh(text: string, p: Plan): string[] {
    const after = readExport(text, "the export after refresh");
    const urns = new Set(after.resources.map((r) => r.urn));
    return [
        ...after.pending.filter((o) => o.type === "creating" || o.type === "importing").map((o) => `${o.resource.urn} is still pending (${o.type})`),
        ...p.imports.filter(([urn]) => !urns.has(urn)).map(([urn]) => `${urn} was not imported`),
    ];
}

async function exported(pulumi: Pulumi, stack: string, when: string): Promise<string> {
    const r = await pulumi(["stack", "export", "--stack", stack], 300);
    if (r.code !== 0) throw new RepairError(`cannot export stack ${stack} ${when}: ${failureLine(r)}`);
    return r.stdout;
}

/** Writes the edited state (secrets encrypted, as exported) to a private temporary file and imports it. */
async function importState(pulumi: Pulumi, stack: string, doc: unknown): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-repair-"));
    const file = path.join(dir, "state.json");
    try {
        fs.writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
        const r = await pulumi(["stack", "import", "--stack", stack, "--file", file], 300);
        if (r.code !== 0) throw new RepairError(`pulumi stack import refused the repaired state: ${failureLine(r)}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export async function applyPlan(pulumi: Pulumi, stack: string, p: Plan, out: (line: string) => void): Promise<void> {
    const before = JSON.parse(await exported(pulumi, stack, "before the edit")) as unknown;
    await importState(pulumi, stack, settlePendingCreates(before, p));
    out(`state      pulumi stack import --stack ${stack}: ${p.imports.length} pending create(s) imported with their IDs, ${p.clears.length} dropped`);
    const r = await pulumi(refreshArgs(stack), 900);
    if (r.code !== 0) throw new RepairError(`pulumi refresh failed: ${failureLine(r)}`);
    const left = leftAfterRefresh(await exported(pulumi, stack, "after the refresh"), p);
    if (left.length) throw new RepairError(`after pulumi refresh: ${left.join("; ")}`);
    out(`refreshed  pulumi refresh --stack ${stack}: every resource read back from its server, no pending operation left`);
}
