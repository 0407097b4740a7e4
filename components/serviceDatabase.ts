import * as pulumi from "@pulumi/pulumi";
import { connectionUrl } from "../src/url";
import { DatabaseServer, servicedbProviderOf } from "./server";
import { declareChain } from "./serviceChain";
import { declareCore } from "./serviceCore";
import { CoreMode, DEFAULTS, ServiceSpec } from "../src/spec";
import { ClusterSettings, ContainerSettings, ServiceSettings } from "../src/settings";
import { ServiceMigrations } from "./serviceMigrations";
import { declareOwnServer, planOrFail } from "./ownServer";
import type { StandalonePlan } from "../src/standalone";
import type { Reader } from "../src/kubernetes/access";
import type * as CnpgService from "./cnpgService";

export interface ServiceDatabaseArgs extends Omit<ServiceSettings, "rotation"> {
    /**
     * A server this program declares (a PostgresServer or a PostgresContainer): its provider is
     * used for every resource, so services of one server share one provider. Exactly one of
     * `server`, `cluster` and `container` is given.
     */
    readonly server?: DatabaseServer;
    /** The settings of an existing server: the component declares a PostgresServer `<name>-server` for it. */
    readonly cluster?: Omit<ClusterSettings, "adminPassword">;
    /** Password of `cluster.adminUser` (made a secret). Defaults to PGPASSWORD of the process that runs `pulumi`. */
    readonly adminPassword?: pulumi.Input<string>;
    /** A PostgreSQL container of its own (`{}` or `true` for the defaults): the component declares it. */
    readonly container?: ContainerSettings | true;
    /**
     * Folder of this service's migration files (`V001__create_users.sql`, …), applied as the
     * service's role after the database is ready. Defaults to none.
     */
    readonly migrations?: string;
    /**
     * Rotations so far (0, 1, 2, …): each one regenerates the login not in use and hands it out;
     * the previous one stays valid until the next rotation (src/rotation.ts). Defaults to 0.
     */
    readonly rotation?: number;
    /** Length of the generated password (letters and digits only: URL-safe). Defaults to 40. */
    readonly passwordLength?: number;
    /** Part of the container's and volume's default names. Defaults to the stack's name. */
    readonly stack?: string;
    /** Docker daemon of `container`. Defaults to DOCKER_HOST or the local socket. */
    readonly dockerHost?: string;
    /**
     * The resource this service's first PostgreSQL operation waits for: the `tail` of the service
     * before it in the same lane of its server (see src/pool.ts). Defaults to none.
     */
    readonly after?: pulumi.Resource;
    /**
     * How the role, logins, database, revokes, schemas and extensions are declared: "resources",
     * a chain of the postgresql provider's resources (one engine step each), or "single", one
     * ServiceCore resource (one step; docs/architecture.md). Not switchable on a deployed service:
     * a ServiceCore refuses to take over what the chain made. Defaults to "single".
     */
    readonly core?: CoreMode;
}

/** A service a Platform has validated already (planPlatform): declared as it is, not validated again. */
export interface PlannedServiceArgs {
    readonly spec: ServiceSpec;
    /** The server its Platform declared for it. */
    readonly server: DatabaseServer;
    /** See ServiceDatabaseArgs.after. Defaults to none. */
    readonly after?: pulumi.Resource;
    /** See ServiceDatabaseArgs.core. Defaults to "single". */
    readonly core?: CoreMode;
    /** The services that read this one: on a CloudNativePG cluster, their grants are part of its access Job. Defaults to none. */
    readonly readBy?: readonly Reader[];
}

/**
 * servicedb:postgres:ServiceDatabase — one service's private database: a generated password, a
 * login role without any elevated attribute, a UTF8 database it owns, PUBLIC's privileges on the
 * database and its schemas revoked, and the requested extensions: a chain of the postgresql
 * provider's resources (components/serviceChain.ts), or one ServiceCore (`core: "single"`,
 * components/serviceCore.ts).
 */
export class ServiceDatabase extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly database: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    /** Secret. */
    readonly password: pulumi.Output<string>;
    /** Secret: `postgresql://…` with the password in it. */
    readonly url: pulumi.Output<string>;
    /** The migrations of `args.migrations`, when that folder has files. */
    readonly migrations?: ServiceMigrations;
    /** The last PostgreSQL resource (the ServiceCore, or the chain's end): what the next service of the lane waits for. */
    readonly tail: pulumi.Resource;
    /** Both logins (the owning role and `<role>_b`), passwords secret: what a pooler's auth file lists. */
    readonly logins: readonly { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> }[];

    private readonly server: DatabaseServer;

    /** Secret: this service's login (the active one) to `database` of the same server: its own, or one it reads. */
    urlTo(database: pulumi.Input<string>): pulumi.Output<string> {
        const server = this.server;
        return pulumi.secret(pulumi.all([server.host, server.port, database, this.username, this.password])
            .apply(([host, port, db, username, pw]) =>
                connectionUrl({ host, port, database: db, username, password: pw, sslmode: server.sslmode, sslrootcert: server.sslrootcert })));
    }

    constructor(name: string, args: ServiceDatabaseArgs | PlannedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated first (unless a Platform did): bad arguments fail with the config's messages before anything is declared.
        const planned = "spec" in args;
        const plan = planned ? undefined : planOrFail(name, args);
        super("servicedb:postgres:ServiceDatabase", name, {}, opts);
        for (const w of plan?.warnings ?? []) pulumi.log.warn(w, this);
        const spec = planned ? args.spec : (plan as StandalonePlan).service;
        const server = planned ? args.server : args.server ?? declareOwnServer(name, plan as StandalonePlan, args, this);
        const length = (planned ? undefined : args.passwordLength) ?? 40;
        // CloudNativePG objects and an access Job; or one engine step for the whole core; or the chain of the postgresql provider's resources.
        const cnpg = server.cnpg;
        const core = cnpg
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/kubernetes only where a service needs it
            ? (require("./cnpgService") as typeof CnpgService).declareCnpgCore(name, { spec, server: { ...server, cnpg }, passwordLength: length, readBy: planned ? args.readBy ?? [] : [] }, this)
            : (args.core ?? DEFAULTS.core) === "single"
                ? declareCore(name, { spec, server, passwordLength: length }, this)
                : declareChain(name, { spec, server, passwordLength: length, after: args.after }, this);
        this.logins = core.logins;
        this.username = core.username;
        this.password = core.password;
        this.tail = core.tail;
        this.host = server.host;
        this.port = server.port;
        this.database = core.database;
        this.server = server;
        this.url = this.urlTo(this.database);

        // On a CloudNativePG cluster the access Job applies them, inside Kubernetes.
        if (spec.migrations.length > 0 && !cnpg) {
            // After the database, role, grants and schemas: the end of the chain.
            this.migrations = new ServiceMigrations(`${name}-migrations`, {
                service: name, url: this.url, files: spec.migrations, schema: spec.schemas[0] ?? "public", backupDir: spec.backupBeforeMigrate,
            }, { parent: this, provider: servicedbProviderOf(server), dependsOn: [core.tail] });
        }

        this.registerOutputs({
            host: this.host, port: this.port, database: this.database,
            username: this.username, password: this.password, url: this.url,
        });
    }
}
