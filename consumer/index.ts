/**
 * For service stacks: read one service's database from the servicedb platform stack.
 *
 *   import { serviceDatabase } from "servicedb/consumer";
 *   const db = serviceDatabase("acme/servicedb/prod", "orders");
 *   // db.url, db.pooledUrl and db.password are secrets; host, port, database, username are not.
 *
 * Both stacks must be able to decrypt the secrets: use the same secrets provider (see README,
 * "Cross-stack secrets").
 */
import * as pulumi from "@pulumi/pulumi";

/** One service's connection details, as the platform stack's `databases` output holds them. */
export interface DatabaseConnection {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly database: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    /** Secret. */
    readonly password: pulumi.Output<string>;
    /** Secret: `postgresql://user:password@host:port/database?sslmode=…`. */
    readonly url: pulumi.Output<string>;
    /**
     * Secret: the same login through the server's PgBouncer (transaction pooling), or undefined
     * when the platform declares no pooler for this service's server. Use `url` for migrations
     * and anything that needs a session (advisory locks, LISTEN, session SET, prepared statements).
     */
    readonly pooledUrl: pulumi.Output<string | undefined>;
    /**
     * The services this one reads (`reads:` in the platform's config), by name: `db.reads.chat.url`
     * is a secret URL with this service's login and chat's database (pooled too, where the server
     * has a pooler). A service it does not read fails the deployment, naming the fix.
     */
    readonly reads: Readonly<Record<string, ReadUrls>>;
}

/** One read service's URLs (secrets). */
export interface ReadUrls {
    readonly url: pulumi.Output<string>;
    readonly pooledUrl: pulumi.Output<string | undefined>;
}

/** A read service's URLs as the `databases` output holds them. */
export interface RawRead {
    url: string;
    pooledUrl?: string;
}

export interface RawConnection {
    host: string;
    port: number;
    database: string;
    username: string;
    password: string;
    url: string;
    pooledUrl?: string;
    /** The services it reads: their URLs with this service's login. */
    reads?: { [service: string]: RawRead };
}

/** Why a stack's `databases` output has no usable entry for `service`, or undefined. */
export function connectionProblem(stack: string, service: string, databases: unknown): string | undefined {
    if (typeof databases !== "object" || databases === null) {
        return `servicedb: stack ${stack} has no "databases" output; is it a servicedb platform stack, and has it been deployed?`;
    }
    const entry = (databases as Record<string, unknown>)[service];
    if (entry === undefined) {
        const known = Object.keys(databases).sort();
        return `servicedb: stack ${stack} has no database for service "${service}"` +
            (known.length ? `; it has: ${known.join(", ")}` : "; it has none") +
            `. Add "${service}" to servicedb:services of that stack, or fix the service name here.`;
    }
    const missing = ["host", "port", "database", "username", "password", "url"].filter((k) => (entry as Record<string, unknown>)[k] === undefined);
    return missing.length ? `servicedb: stack ${stack}'s database for "${service}" lacks ${missing.join(", ")}; redeploy the platform stack with a current servicedb` : undefined;
}

/** The raw `databases[service]` entry of the platform stack; rejects with a clear message when absent. */
export function connectionEntry(ref: pulumi.StackReference, service: string): pulumi.Output<RawConnection> {
    return pulumi.all([ref.name, ref.getOutput("databases")]).apply(([name, databases]) => {
        const problem = connectionProblem(name, service, databases);
        if (problem) throw new Error(problem);
        return (databases as Record<string, RawConnection>)[service];
    });
}

/**
 * The connection details of `service` in the platform stack `stack` (a StackReference or its
 * fully qualified name). Fails the deployment with a clear message when the service is absent.
 */
export function serviceDatabase(stack: pulumi.StackReference | string, service: string, opts?: pulumi.CustomResourceOptions): DatabaseConnection {
    const ref = typeof stack === "string" ? new pulumi.StackReference(`servicedb-${stack.replace(/[^A-Za-z0-9-]/g, "-")}`, { name: stack }, opts) : stack;
    const entry = connectionEntry(ref, service);
    // The whole output is secret (it holds passwords); only password and url stay so.
    const plain = <K extends keyof RawConnection>(k: K) => pulumi.unsecret(entry.apply((e) => e[k]));
    return {
        host: plain("host"),
        port: plain("port"),
        database: plain("database"),
        username: plain("username"),
        password: pulumi.secret(entry.apply((e) => e.password)),
        url: pulumi.secret(entry.apply((e) => e.url)),
        pooledUrl: pulumi.secret(entry.apply((e) => e.pooledUrl)),
        reads: readsOf(entry, service),
    };
}

/** The URLs of `service` in `reader`'s entry; throws naming the fix when the reader does not read it. */
export function readOf(entry: RawConnection, reader: string, service: string): RawRead {
    const r = entry.reads?.[service];
    if (r) return r;
    const known = Object.keys(entry.reads ?? {});
    throw new Error(`servicedb: service "${reader}" does not read "${service}"` + (known.length ? ` (it reads ${known.join(", ")})` : "") +
        `. Add "${service}" to servicedb:services.${reader}.reads of the platform stack.`);
}

/** `reads.<service>` for any name: resolved when used, failing with the fix when the service does not read it. */
function readsOf(entry: pulumi.Output<RawConnection>, reader: string): Readonly<Record<string, ReadUrls>> {
    const read = (service: string) => entry.apply((e) => readOf(e, reader, service));
    // Each Output is made when it is asked for, so a misspelt read fails only where it is used.
    return new Proxy({}, {
        get: (_t, service) => (typeof service !== "string" ? undefined : {
            get url() { return pulumi.secret(read(service).apply((r) => r.url)); },
            get pooledUrl() { return pulumi.secret(read(service).apply((r) => r.pooledUrl)); },
        }),
    });
}
