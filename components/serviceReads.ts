import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { ReadsInputs } from "../src/core/readsProvider";
import type { ReadGrant } from "../src/core/reads";
import { RESOURCE_TYPES } from "../src/plugin/types";
import type { CoreMode, ServiceSpec } from "../src/spec";
import { declareReadGrants } from "./readerRole";
import { DatabaseServer, servicedbProviderOf } from "./server";
import type { ServicedbResourceOptions } from "./servicedbProvider";

export type ServiceReadsArgs = { readonly [K in keyof ReadsInputs]: pulumi.Input<ReadsInputs[K]> };

/**
 * servicedb:core:ServiceReads — what one service reads of the others on its
 * server (`core: single`), in one step; src/core/readsProvider.ts.
 */
export class ServiceReads extends pulumi.CustomResource {
    constructor(name: string, args: ServiceReadsArgs, opts: ServicedbResourceOptions) {
        const props = { ...args, adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword) };
        super(RESOURCE_TYPES.reads, name, props, { ...opts, additionalSecretOutputs: ["adminPassword"] });
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
        }, { parent, provider: servicedbProviderOf(s), dependsOn: [...a.after] });
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
