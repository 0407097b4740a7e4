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
        };
    });
}
