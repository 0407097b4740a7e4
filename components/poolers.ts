/**
 * The Platform's poolers: a PgBouncer per server whose config asks for one, fed with the logins
 * of that server's services, and the `pooledUrl` of each of those services.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { PoolerSpec } from "../src/pooler/spec";
import { PgBouncer, PoolerLogin } from "./pgBouncer";
import { PostgresContainer } from "./postgresContainer";
import { DatabaseServer } from "./server";
import { ServiceDatabase } from "./serviceDatabase";

/** Non-secret: what `pulumi stack output poolers` shows per pooled server. */
export interface PoolerSummary {
    readonly host: string;
    readonly port: number;
    readonly mode: string;
    readonly external: boolean;
    readonly maxClientConnections: number;
    /** service → server connections of its pool. */
    readonly pools: Readonly<Record<string, number>>;
}

/**
 * The logins of a service that go into the auth file: both of them (the owning role and
 * `<role>_b`), so the previous credential keeps working through the pooler during a rotation too.
 */
export function loginsOf(db: ServiceDatabase): PoolerLogin[] {
    return [...db.logins];
}

/** What the `poolers` output says of one pooler. */
export function poolerSummary(spec: PoolerSpec): PoolerSummary {
    return {
        host: spec.host, port: spec.port, mode: spec.mode, external: spec.external, maxClientConnections: spec.maxClientConnections,
        pools: Object.fromEntries(spec.pools.map((p) => [p.service, p.poolSize])),
    };
}

export interface PoolerWiring {
    readonly poolers: Record<string, PgBouncer>;
    /** service → secret URL through its server's pooler. */
    readonly pooledUrls: Record<string, pulumi.Output<string>>;
    /** Secret: the service's login to another database of its server through the pooler (a read), or undefined without one. */
    readonly pooledUrlTo: (service: string, database: string) => pulumi.Output<string> | undefined;
    readonly summary: Record<string, PoolerSummary>;
    /** Secret: server → rendered files, for poolers that run elsewhere (`external`). */
    readonly files: Record<string, pulumi.Output<Record<string, string>>>;
}

export interface PoolerContext {
    readonly stack: string;
    readonly services: Readonly<Record<string, ServiceDatabase>>;
    readonly servers: Readonly<Record<string, DatabaseServer>>;
    readonly dockerProvider?: docker.Provider;
    readonly network?: docker.Network;
}

export function declarePoolers(specs: readonly PoolerSpec[], ctx: PoolerContext, parent: pulumi.Resource): PoolerWiring {
    const byService = new Map<string, PgBouncer>();
    const out: PoolerWiring = {
        poolers: {}, pooledUrls: {}, summary: {}, files: {},
        pooledUrlTo: (service, database) => {
            const p = byService.get(service);
            const db = ctx.services[service];
            return p && p.pooledUrl(pulumi.output(database), db.username, db.password);
        },
    };
    for (const spec of specs) {
        const server = ctx.servers[spec.name];
        const pooler = new PgBouncer(`${spec.name}-pooler`, {
            spec,
            logins: Object.fromEntries(spec.pools.map((p) => [p.service, loginsOf(ctx.services[p.service])])),
            containerName: `servicedb-${ctx.stack}-${spec.name}-pooler`,
            dockerProvider: ctx.dockerProvider,
            network: ctx.network,
            dependsOn: server instanceof PostgresContainer ? [server.container] : [],
        }, { parent });
        out.poolers[spec.name] = pooler;
        for (const p of spec.pools) {
            const db = ctx.services[p.service];
            byService.set(p.service, pooler);
            out.pooledUrls[p.service] = pooler.pooledUrl(db.database, db.username, db.password);
        }
        out.summary[spec.name] = poolerSummary(spec);
        if (spec.external) out.files[spec.name] = pooler.files;
    }
    return out;
}
