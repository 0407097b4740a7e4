/**
 * The state edit that settles pending creates, on the document of `pulumi stack export` (secrets
 * stay encrypted: the export is taken without --show-secrets). A create found on the server joins
 * the resources with its provider ID, its inputs standing in for its outputs until
 * `pulumi refresh` reads the real ones (the provider's Read gets the ID and these properties); a
 * create not found is dropped. Other pending operations stay for the refresh to clear.
 *
 * Why not `pulumi refresh --import-pending-creates <urn> <id>`: in Pulumi 3.248 that flag turns the
 * operation into an "importing" one, which the refresh then drops like any non-create pending
 * operation; the resource never reaches the state (checked on this CLI; see the README).
 */
import { Plan } from "./decide";

interface Doc {
    deployment: { resources?: Record<string, unknown>[]; pending_operations?: { type: string; resource: Record<string, unknown> }[] };
}

/** Inputs as the first outputs of an imported resource (without the bridge's `__defaults` bookkeeping). */
function outputsFrom(inputs: unknown): Record<string, unknown> {
    const copy = { ...(typeof inputs === "object" && inputs !== null ? (inputs as Record<string, unknown>) : {}) };
    delete copy.__defaults;
    return copy;
}

/** Returns the edited document; `doc` is not changed. Resources are appended (their dependencies come earlier). */
export function settlePendingCreates(doc: unknown, p: Plan): unknown {
    const d = structuredClone(doc) as Doc;
    const ids = new Map(p.imports.map(([urn, id]) => [urn, id]));
    const clears = new Set(p.clears);
    const resources = d.deployment.resources ?? [];
    const live = new Set(resources.filter((r) => r.delete !== true).map((r) => r.urn));
    const kept: NonNullable<Doc["deployment"]["pending_operations"]> = [];
    for (const op of d.deployment.pending_operations ?? []) {
        const urn = String(op.resource.urn);
        const create = op.type === "creating" || op.type === "importing";
        if (create && ids.has(urn) && !live.has(urn)) {
            resources.push({ ...op.resource, id: ids.get(urn), outputs: outputsFrom(op.resource.inputs) });
            live.add(urn);
        } else if (!(create && (clears.has(urn) || ids.has(urn)))) {
            kept.push(op);
        }
    }
    d.deployment.resources = resources;
    d.deployment.pending_operations = kept;
    return d;
}
