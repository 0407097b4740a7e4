/**
 * servicedb's components as other languages see them (`servicedb:index:*`): arguments of plain
 * data only (strings, numbers, booleans, lists, maps; no resources), which the component provider
 * host turns into a schema and `pulumi package add` into an SDK. Each wraps the package's own
 * component and validates exactly as it does; a value that decides which resources exist must
 * be known when the program runs, so it may not be another resource's output.
 *
 * Services here are declared as in TypeScript (the default `core: "single"`, every guardrail):
 * the ServiceCores go to servicedb's own provider, which this package's plugin also serves
 * (provider/index.ts). No `migrations` argument: a program in another language has no folder
 * loader; it applies its migrations with `npm run migrate`.
 */
import * as pulumi from "@pulumi/pulumi";
import { platformFromConfig } from "../components/fromConfig";
import { ServiceDatabase as Core } from "../components/serviceDatabase";
import type { RawConnection } from "../consumer";
import { requirePlain } from "./plain";
import type { Container, Guards, Server, ServiceFields } from "./settings";

/** A service of a Platform (the stack config's `servicedb:services.<name>`). */
export interface Service extends ServiceFields {
    /** Name of a server of `clusters`. Exactly one of cluster and container. */
    cluster?: string;
    /** Its own PostgreSQL container (instead of a server). */
    container?: Container;
}

export interface ServiceDatabaseArgs extends ServiceFields {
    /** An existing server. Exactly one of server and container. */
    server?: Server;
    /** Its own PostgreSQL container (instead of a server). */
    container?: Container;
    /** Password of server.adminUser (a secret). Defaults to PGPASSWORD of the process that runs pulumi. */
    adminPassword?: pulumi.Input<string>;
}

/** A standalone service database: on an existing server, or in its own container. */
export class ServiceDatabase extends pulumi.ComponentResource {
    public readonly host: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    public readonly database: pulumi.Output<string>;
    public readonly username: pulumi.Output<string>;
    /** Secret. */
    public readonly password: pulumi.Output<string>;
    /** Secret: postgresql://… with the password in it. */
    public readonly url: pulumi.Output<string>;

    constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const { adminPassword, server, ...rest } = requirePlain(`service "${name}"`, args, ["adminPassword"]);
        super("servicedb:index:ServiceDatabase", name, {}, opts);
        const db = new Core(name, { ...rest, cluster: server, adminPassword }, { parent: this });
        this.host = db.host;
        this.port = db.port;
        this.database = db.database;
        this.username = db.username;
        this.password = db.password;
        this.url = db.url;
        this.registerOutputs({ host: this.host, port: this.port, database: this.database, username: this.username, password: this.password, url: this.url });
    }
}

/** What a service connects with (password, url and pooledUrl secret): the consumer's entry, and its cluster. */
export interface Connection extends RawConnection {
    cluster: string;
}

export interface PlatformArgs {
    /** Existing servers by name. Defaults to none. */
    clusters?: { [name: string]: Server };
    /** Admin passwords by cluster name (secrets). Defaults to PGPASSWORD. */
    adminPasswords?: pulumi.Input<{ [cluster: string]: pulumi.Input<string> }>;
    /** Services by name; each names a cluster or asks for a container. */
    services: { [name: string]: pulumi.Input<Service> };
    /** Guardrails every service inherits (the stack config's `servicedb:settings`), but lockTimeout, workMem and tempFileLimit. Defaults to servicedb's. */
    settings?: Guards;
    /** Default of every service's protect. Defaults to false. */
    protect?: boolean;
}

/** A whole platform, as a stack's servicedb config declares it. */
export class Platform extends pulumi.ComponentResource {
    /** Secret: service → its connection details. */
    public readonly databases: pulumi.Output<{ [service: string]: Connection }>;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        const { adminPasswords, clusters, services, protect, settings } = requirePlain(`platform "${name}"`, args, ["adminPasswords"]);
        super("servicedb:index:Platform", name, {}, opts);
        // One Output per cluster; a cluster without an entry resolves to undefined (PGPASSWORD).
        const passwords = adminPasswords === undefined ? undefined : pulumi.output(adminPasswords);
        const passwordOf = (k: string) => passwords?.apply((m) => m[k]) as pulumi.Output<string> | undefined;
        const platform = platformFromConfig(name, {
            clusters: clusters && Object.fromEntries(Object.entries(clusters).map(([k, c]) => [k, { ...c, adminPassword: passwordOf(k) }])),
            // requirePlain made sure: no Outputs in here.
            services: services as { [name: string]: Service }, protect, settings,
        }, { opts: { parent: this } });
        this.databases = pulumi.secret(pulumi.output(platform.databases)) as pulumi.Output<{ [service: string]: Connection }>;
        this.registerOutputs({ databases: this.databases });
    }
}
