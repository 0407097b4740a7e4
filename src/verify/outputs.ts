/**
 * The stack outputs `verify` reads: `pulumi stack output --json --show-secrets`, as a file or
 * through the Automation API. Malformed input is refused with one line that says what is wrong.
 */

export interface ServiceUnderTest {
    readonly service: string;
    readonly cluster: string;
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly username: string;
    readonly password: string;
    readonly url: string;
    /** From `summary`, when present. */
    readonly connectionLimit?: number;
    readonly schemas: readonly string[];
    /** Secret: the URL through the server's PgBouncer, when the stack declares one. */
    readonly pooledUrl?: string;
    /** From `summary`: the owning role (the logins are it and `<role>_b`). */
    readonly role?: string;
    /** From `summary`: the guardrails its logins must have, as stored. Absent: not checked. */
    readonly settings?: Readonly<Record<string, string>>;
    /** What it reads (`summary.reads`), each with its URL (`databases.<svc>.reads`). */
    readonly reads?: readonly DeclaredRead[];
}

export interface DeclaredRead {
    readonly service: string;
    /** Undefined: every schema of the read service. */
    readonly schemas?: readonly string[];
    /** Secret: this service's login to the read service's database. */
    readonly url?: string;
}

/** `["chat", "users.public", "users.app"]` with the URLs of `databases.<svc>.reads`. */
function declaredReads(list: unknown, urls: unknown): DeclaredRead[] {
    const entries = Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
    const by = new Map<string, string[] | undefined>();
    for (const e of entries) {
        const [svc, schema] = e.split(".", 2);
        const had = by.get(svc);
        by.set(svc, schema === undefined || (by.has(svc) && had === undefined) ? undefined : [...(had ?? []), schema]);
    }
    const u = isRecord(urls) ? urls : {};
    return [...by].map(([service, schemas]) => {
        const url = isRecord(u[service]) ? (u[service] as Record<string, unknown>).url : undefined;
        return { service, ...(schemas ? { schemas } : {}), ...(typeof url === "string" && url !== "[secret]" ? { url } : {}) };
    });
}

export class OutputsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OutputsError";
    }
}

const FIELDS = ["cluster", "host", "port", "database", "username", "password", "url"] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseOutputs(text: string, source: string): ServiceUnderTest[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new OutputsError(`${source} is not JSON (${(e as Error).message}); write it with: pulumi stack output --json --show-secrets > ${source}`);
    }
    return servicesFromOutputs(doc, source);
}

export function servicesFromOutputs(doc: unknown, source: string): ServiceUnderTest[] {
    if (!isRecord(doc) || !isRecord(doc.databases)) {
        throw new OutputsError(`${source} has no "databases" output: is it the output of a servicedb stack (pulumi stack output --json --show-secrets)?`);
    }
    const summary = isRecord(doc.summary) ? doc.summary : {};
    return Object.entries(doc.databases).map(([service, raw]) => {
        if (!isRecord(raw)) throw new OutputsError(`${source}: databases.${service} is not an object`);
        for (const f of FIELDS) {
            if (raw[f] === undefined || raw[f] === null) throw new OutputsError(`${source}: databases.${service}.${f} is missing`);
        }
        if (raw.password === "[secret]" || raw.url === "[secret]") {
            throw new OutputsError(`${source}: databases.${service}.password is "[secret]"; export the outputs with --show-secrets`);
        }
        const s = isRecord(summary[service]) ? (summary[service] as Record<string, unknown>) : {};
        return {
            service, cluster: String(raw.cluster), host: String(raw.host), port: Number(raw.port),
            database: String(raw.database), username: String(raw.username), password: String(raw.password), url: String(raw.url),
            connectionLimit: typeof s.connectionLimit === "number" ? s.connectionLimit : undefined,
            schemas: Array.isArray(s.schemas) ? (s.schemas as string[]) : ["public"],
            ...(typeof raw.pooledUrl === "string" && raw.pooledUrl !== "[secret]" ? { pooledUrl: raw.pooledUrl } : {}),
            ...(typeof s.role === "string" ? { role: s.role } : {}),
            ...(isRecord(s.settings) ? { settings: Object.fromEntries(Object.entries(s.settings).map(([k, v]) => [k, String(v)])) } : {}),
            reads: declaredReads(s.reads, raw.reads),
        };
    });
}
