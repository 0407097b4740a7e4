import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { ReadsInputs } from "../src/core/readsProvider";
import type { ReadGrant } from "../src/core/reads";
import type { CoreMode, ServiceSpec } from "../src/spec";
import { declareReadGrants } from "./readerRole";
import { implementation } from "./serviceCore";
import type { DatabaseServer } from "./server";

export const readsProvider = {
    async check(_olds: ReadsInputs, news: ReadsInputs) { return implementation().checkReads(news); },
    async read(id: string, props: ReadsInputs) { return implementation().readReads(id, props); },
    async diff(_id: string, olds: ReadsInputs, news: ReadsInputs) { return implementation().diffReads(olds, news); },
    async create(inputs: ReadsInputs) { return { id: `${inputs.host}:${inputs.port}/${inputs.role}/reads`, outs: await implementation().createReads(inputs) }; },
    async update(_id: string, olds: ReadsInputs, news: ReadsInputs) { return { outs: await implementation().updateReads(olds, news) }; },
    async delete(_id: string, props: ReadsInputs) { await implementation().deleteReads(props); },
} satisfies pulumi.dynamic.ResourceProvider;

export type ServiceReadsArgs = { readonly [K in keyof ReadsInputs]: pulumi.Input<ReadsInputs[K]> };

/**
 * pulumi-nodejs:dynamic/servicedb:ServiceReads — what one service reads of the others on its
 * server (`core: single`), in one step; src/core/readsProvider.ts.
 */
export class ServiceReads extends pulumi.dynamic.Resource {
    constructor(name: string, args: ServiceReadsArgs, opts?: pulumi.CustomResourceOptions) {
        const props = { ...args, adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword) };
        super(readsProvider, name, props, { ...opts, additionalSecretOutputs: ["adminPassword"] }, "servicedb", "ServiceReads");
    }
}

export interface ReadsArgs {
    readonly reader: ServiceSpec;
    /** The services it reads, by name (validated: same server). */
    readonly read: (service: string) => ServiceSpec;
    readonly server: DatabaseServer;
    readonly core: CoreMode;
    /** What the grants wait for: both services' cores, and the previous reads of the same server (one writer of a database's catalog at a time). */
    readonly after: readonly pulumi.Resource[];
}

/** The grants of `reader`'s reads, children of `parent`; returns the last resource, or undefined when it reads nothing. */
export function declareReads(name: string, a: ReadsArgs, parent: pulumi.Resource): pulumi.Resource | undefined {
    if (a.reader.reads.length === 0) return undefined;
    const grants: ReadGrant[] = a.reader.reads.map((r) => {
        const t = a.read(r.service);
        return { service: t.name, database: t.database, owner: t.role, schemas: [...(r.schemas ?? t.schemas)] };
    });
    const s = a.server;
    if (a.core === "single") {
        return new ServiceReads(`${name}-reads`, {
            host: s.host, port: s.port, adminUser: s.adminUser, adminPassword: s.adminPassword, sslmode: s.sslmode, sslrootcert: s.sslrootcert,
            maintenanceDatabase: s.maintenanceDatabase, superuser: s.superuser, parallelism: s.parallelism, reservedConnections: s.reservedConnections,
            role: a.reader.role, reads: grants,
        }, { parent, dependsOn: [...a.after] });
    }
    const provider = s.provider;
    if (!provider) throw new Error(`servicedb: service "${name}" reads others on a server declared without its postgresql provider`);
    let last: readonly pulumi.Resource[] = a.after;
    for (const grant of grants) last = [new ServiceRead(`${name}-reads-${grant.service}`, { grant, reader: a.reader.role, provider, after: last }, { parent }).last];
    return last[0];
}

export interface ServiceReadArgs {
    readonly grant: ReadGrant;
    /** The reading service's owning role. */
    readonly reader: string;
    readonly provider: postgresql.Provider;
    /** What the first grant waits for. */
    readonly after: readonly pulumi.Resource[];
}

/**
 * servicedb:postgres:ServiceRead — one declared read (`core: resources`): the postgresql
 * provider's grants that let the reader's role read the read service's schemas. The policy pack
 * allows a cross-service grant only as the read-only child of one of these.
 */
export class ServiceRead extends pulumi.ComponentResource {
    /** The last grant: what the next read of the same server waits for. */
    readonly last: pulumi.Resource;

    constructor(name: string, args: ServiceReadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:postgres:ServiceRead", name, {}, opts);
        const g = args.grant;
        this.last = declareReadGrants(name, {
            grantee: pulumi.output(args.reader), database: g.database, owner: g.owner, schemas: g.schemas, opts: { parent: this, provider: args.provider },
        }, args.after);
        this.registerOutputs({});
    }
}
