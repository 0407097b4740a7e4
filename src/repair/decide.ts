/**
 * What repair does with each pending operation, from what the server says about its object.
 * Pure: the probes (./probes.ts, ./docker.ts) find the facts, this decides. Nothing that exists
 * on the server is ever dropped from the plan silently: an object that exists as declared is
 * imported, one that exists but differs is a conflict that stops the repair with the fix named.
 */
import { Kind, kindOf } from "./ids";
import { OperationType, PendingOperation, resourceName } from "./state";

/** What a probe found on the server for one pending create. */
export type Probe =
    /** The object is not there: the create never happened (or was rolled back). */
    | { readonly state: "absent"; readonly what: string }
    /** The object is there as the stack declares it; `id` is its provider ID. */
    | { readonly state: "present"; readonly what: string; readonly id: string }
    /** The object is there but differs from the declaration: never taken over silently. */
    | { readonly state: "different"; readonly what: string; readonly differences: readonly string[]; readonly fix: string }
    /** Nothing to look up: the resource is re-created harmlessly (`note` says why). */
    | { readonly state: "recreate"; readonly what: string; readonly note: string }
    /** The probe could not tell (server unreachable, unknown type). */
    | { readonly state: "unknown"; readonly what: string; readonly reason: string; readonly fix: string };

export type Action = "import" | "clear" | "refresh" | "conflict" | "unresolved";

export interface Decision {
    readonly urn: string;
    readonly name: string;
    readonly kind: Kind;
    readonly operation: OperationType;
    readonly action: Action;
    /** Provider ID, for `import`. */
    readonly id?: string;
    /** One line: what was found and what repair does about it. */
    readonly line: string;
}

const VERB: Record<Action, string> = { import: "import", clear: "drop", refresh: "refresh", conflict: "CONFLICT", unresolved: "UNRESOLVED" };

function decision(op: PendingOperation, action: Action, text: string, id?: string): Decision {
    const urn = op.resource.urn;
    const name = resourceName(urn);
    const kind = kindOf(op.resource.type);
    return { urn, name, kind, operation: op.type, action, ...(id === undefined ? {} : { id }), line: `${VERB[action].padEnd(10)} ${name} (${kind}): ${text}` };
}

/** The decision for one pending operation; `probe` is required for pending creates. */
export function decide(op: PendingOperation, probe?: Probe): Decision {
    if (op.type === "updating" || op.type === "deleting" || op.type === "reading") {
        return decision(op, "refresh", `interrupted while ${op.type}; pulumi refresh reads it back from the server and clears the operation`);
    }
    if (!probe) return decision(op, "unresolved", `interrupted while ${op.type}, and nothing was looked up; run repair again`);
    switch (probe.state) {
        case "present":
            return decision(op, "import", `${probe.what} exists as declared: imported with ID "${probe.id}"`, probe.id);
        case "absent":
            return decision(op, "clear", `${probe.what} is not on the server: pending create dropped, the next up creates it`);
        case "recreate":
            return decision(op, "clear", `${probe.what}: ${probe.note}`);
        case "different":
            return decision(op, "conflict", `${probe.what} exists but differs from the stack (${probe.differences.join("; ")}); left alone. Fix: ${probe.fix}`);
        case "unknown":
            return decision(op, "unresolved", `${probe.what}: ${probe.reason}. Fix: ${probe.fix}`);
    }
}

export interface Plan {
    readonly decisions: readonly Decision[];
    /** `[urn, id]` of the pending creates to import. */
    readonly imports: readonly (readonly [string, string])[];
    /** URNs whose pending create is dropped. */
    readonly clears: readonly string[];
    /** True when a conflict or an unresolved operation forbids changing anything. */
    readonly blocked: boolean;
}

export function plan(decisions: readonly Decision[]): Plan {
    return {
        decisions,
        imports: decisions.filter((d) => d.action === "import").map((d) => [d.urn, d.id as string] as const),
        clears: decisions.filter((d) => d.action === "clear").map((d) => d.urn),
        blocked: decisions.some((d) => d.action === "conflict" || d.action === "unresolved"),
    };
}
