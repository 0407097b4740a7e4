/**
 * The parts of `pulumi stack export` that repair reads: the resources and the pending operations
 * an interrupted deployment left behind (apitype.DeploymentV3: `pending_operations`, each
 * `{ resource: ResourceV3, type }`). Malformed documents are refused with a line that names the
 * field and how to produce a good one.
 */

export const OPERATION_TYPES = ["creating", "updating", "deleting", "reading", "importing"] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

/** One resource of the state (the fields repair uses; the rest is carried along untouched). */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly custom?: boolean;
    readonly id?: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly parent?: string;
    /** `<provider urn>::<provider id>` of a custom resource. */
    readonly provider?: string;
    readonly [field: string]: unknown;
}

export interface PendingOperation {
    readonly type: OperationType;
    readonly resource: StateResource;
}

export interface ExportedState {
    readonly resources: readonly StateResource[];
    readonly pending: readonly PendingOperation[];
}

export class StateError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateError";
    }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function resourceAt(v: unknown, where: string): StateResource {
    if (!isRecord(v)) throw new StateError(`${where} is not an object`);
    for (const f of ["urn", "type"] as const) {
        if (typeof v[f] !== "string" || v[f] === "") throw new StateError(`${where}.${f} is missing or not a string`);
    }
    for (const f of ["inputs", "outputs"] as const) {
        if (v[f] !== undefined && !isRecord(v[f])) throw new StateError(`${where}.${f} is not an object`);
    }
    return v as StateResource;
}

/** Reads the JSON of `pulumi stack export` (version 3; an empty stack has no `resources`). */
export function readExport(text: string, source: string): ExportedState {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new StateError(`${source} is not JSON (${(e as Error).message}); write it with: pulumi stack export --stack <stack> --file ${source}`);
    }
    if (!isRecord(doc) || !isRecord(doc.deployment)) {
        throw new StateError(`${source} has no "deployment" object: is it the output of pulumi stack export?`);
    }
    if (doc.version !== 3 && doc.version !== 4) {
        throw new StateError(`${source}: version ${JSON.stringify(doc.version)} is not a deployment this tool reads (3 or 4); export it with a current Pulumi CLI`);
    }
    const d = doc.deployment;
    const list = (field: string): unknown[] => {
        if (d[field] === undefined || d[field] === null) return [];
        if (!Array.isArray(d[field])) throw new StateError(`${source}: deployment.${field} is not a list`);
        return d[field] as unknown[];
    };
    const resources = list("resources").map((r, i) => resourceAt(r, `${source}: deployment.resources[${i}]`));
    const pending = list("pending_operations").map((op, i) => {
        const where = `${source}: deployment.pending_operations[${i}]`;
        if (!isRecord(op)) throw new StateError(`${where} is not an object`);
        if (!OPERATION_TYPES.includes(op.type as OperationType)) {
            throw new StateError(`${where}.type is ${JSON.stringify(op.type)}; expected one of ${OPERATION_TYPES.join(", ")}`);
        }
        return { type: op.type as OperationType, resource: resourceAt(op.resource, `${where}.resource`) };
    });
    return { resources, pending };
}

/** The resource's name: the last `::` part of its URN (`orders-db`). */
export function resourceName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The provider resource a `provider` reference (`<urn>::<id>`) points at, if the state has it. */
export function providerOf(state: ExportedState, ref: string | undefined): StateResource | undefined {
    if (!ref) return undefined;
    const cut = ref.lastIndexOf("::");
    const urn = ref.slice(0, cut);
    const id = ref.slice(cut + 2);
    return state.resources.find((r) => r.urn === urn && r.id === id);
}

/** The secret envelope of a state document (`{ <sig>: …, plaintext | ciphertext }`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * A property value in clear: secrets exported with --show-secrets are unwrapped (their
 * `plaintext` is JSON); encrypted ones are undefined.
 */
export function plain(v: unknown): unknown {
    if (isRecord(v) && SECRET_SIG in v) {
        return typeof v.plaintext === "string" ? JSON.parse(v.plaintext) : undefined;
    }
    return v;
}

/** A string input (a secret unwrapped), or undefined. */
export function str(inputs: Record<string, unknown> | undefined, key: string): string | undefined {
    const v = plain(inputs?.[key]);
    return typeof v === "string" ? v : undefined;
}
