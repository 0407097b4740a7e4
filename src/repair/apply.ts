/**
 * Carries a repair plan out: one `pulumi refresh` that imports the pending creates found on the
 * server, clears the others and reads every resource back; then a fresh export proves that no
 * pending create is left and that every import landed in the state.
 */
import { Plan } from "./decide";
import { Pulumi, RepairError, failureLine, refreshArgs } from "./pulumi";
import { readExport } from "./state";

/** What is still wrong after the refresh: pending creates left, imports missing from the resources. */
export function leftAfterRefresh(text: string, p: Plan): string[] {
    const after = readExport(text, "the export after refresh");
    const urns = new Set(after.resources.map((r) => r.urn));
    return [
        ...after.pending.filter((o) => o.type === "creating" || o.type === "importing").map((o) => `${o.resource.urn} is still pending (${o.type})`),
        ...p.imports.filter(([urn]) => !urns.has(urn)).map(([urn]) => `${urn} was not imported`),
    ];
}

export async function applyPlan(pulumi: Pulumi, stack: string, p: Plan, out: (line: string) => void): Promise<void> {
    const r = await pulumi(refreshArgs(stack, p.imports), 900);
    if (r.code !== 0) throw new RepairError(`pulumi refresh failed: ${failureLine(r)}`);
    const check = await pulumi(["stack", "export", "--stack", stack], 300);
    if (check.code !== 0) throw new RepairError(`cannot export stack ${stack} after the refresh: ${failureLine(check)}`);
    const left = leftAfterRefresh(check.stdout, p);
    if (left.length) throw new RepairError(`after pulumi refresh: ${left.join("; ")}`);
    out(`refresh    pulumi refresh --stack ${stack}: ${p.imports.length} import(s), ${p.clears.length} pending create(s) cleared, state read back from the servers`);
}
