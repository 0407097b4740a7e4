import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import { connectionUrl } from "../src/url";
import { DatabaseServer } from "./server";
import { PLAIN_LOGIN, declareSecondLogin, generatedPassword } from "./credentials";
import { activeSlot, rotationKeepers, secondLogin } from "../src/rotation";
import { ClusterSettings, ContainerSettings, ServiceSettings } from "../src/settings";
import { ServiceMigrations } from "./serviceMigrations";
import { declareOwnServer, planOrFail } from "./ownServer";
import { scramVerifier } from "../src/pooler/scram";
import { declareReader, declareReaderRole } from "./readerRole";

export interface ServiceDatabaseArgs extends Omit<ServiceSettings, "rotation"> {
    /**
     * A server this program declares (a PostgresServer or a PostgresContainer): its provider is
     * used for every resource, so services of one server share one provider. Exactly one of
     * `server`, `cluster` and `container` is given.
     */
    readonly server?: DatabaseServer;
    /** The settings of an existing server: the component declares a PostgresServer `<name>-server` for it. */
    readonly cluster?: Omit<ClusterSettings, "pooler">;
    /** Password of `cluster.adminUser` (made a secret). Defaults to PGPASSWORD of the process that runs `pulumi`. */
    readonly adminPassword?: pulumi.Input<string>;
    /** A PostgreSQL container of its own (`{}` or `true` for the defaults): the component declares it. */
    readonly container?: Omit<ContainerSettings, "pooler" | "name"> | true;
    /**
     * Folder of this service's migration files (`V001__create_users.sql`, …), applied as the
     * service's role after the database is ready. Defaults to none.
     */
    readonly migrations?: string;
    /**
     * Rotations so far (0, 1, 2, …): each one regenerates the login not in use and hands it out;
     * the previous one stays valid until the next rotation (src/rotation.ts). A non-numeric
     * string (a label from before rotations were counted) keeps its password. Defaults to 0.
     */
    readonly rotation?: number | string;
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
}

/**
 * servicedb:postgres:ServiceDatabase — one service's private database: a generated password, a
 * login role without any elevated attribute, a UTF8 database it owns, PUBLIC's privileges on the
 * database and its schemas revoked, and the requested extensions. Its PostgreSQL resources form
 * one chain, each waiting for the one before (from `after`): grants of one database must not
 * overlap ("tuple concurrently updated"), and a chain is one lane of its server, so the provider
 * never has more operations in flight than its pool can serve (src/pool.ts). The database depends
 * on the role, so destroy drops the database before the role.
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
    /** The last PostgreSQL resource of the chain: what the next service of the lane waits for. */
    readonly tail: pulumi.Resource;
    /** Both logins (the owning role and `<role>_b`), passwords secret: what a pooler's auth file lists. */
    readonly logins: readonly { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> }[];

    constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated first: bad arguments fail with the config's messages before anything is declared.
        const plan = planOrFail(name, args);
        super("servicedb:postgres:ServiceDatabase", name, {}, opts);
        for (const w of plan.warnings) pulumi.log.warn(w, this);
        const spec = plan.service;
        const server = args.server ?? declareOwnServer(name, plan, args, this);
        const pg = { parent: this, provider: server.provider };
        // What holds the data: protection and retention apply to these.
        const keep = { ...pg, protect: spec.protect, retainOnDelete: spec.retainOnDelete };

        const rotation = spec.rotation;
        const keepers = rotationKeepers(rotation);
        const length = args.passwordLength ?? 40;
        const passwordA = generatedPassword(`${name}-password`, length, keepers.a, this);
        const passwordB = generatedPassword(`${name}-password-b`, length, keepers.b, this);
        const connectionLimit = spec.connectionLimit;

        // The owning role is also the first login (slot a): a stack from before rotations were
        // two-phase keeps this resource, its name and its password.
        // Passwords reach the server as SCRAM-SHA-256 verifiers with a stable salt: the plaintext
        // never does (no DDL log shows it), and a PgBouncer whose auth file holds the same
        // verifier can log in to the server with the client's own SCRAM keys (src/pooler/scram.ts).
        const role = new postgresql.Role(`${name}-role`, {
            ...PLAIN_LOGIN,
            name: spec.role,
            password: pulumi.secret(passwordA.apply((pw) => scramVerifier(spec.role, pw))),
            connectionLimit,
        }, { ...keep, dependsOn: args.after ? [args.after] : [] });
        const loginB = declareSecondLogin(`${name}-login-b`, {
            name: secondLogin(spec.role), owner: role, connectionLimit,
            password: pulumi.secret(passwordB.apply((pw) => scramVerifier(secondLogin(spec.role), pw))),
        }, { ...keep, dependsOn: [role] });
        this.logins = [{ username: role.name, password: passwordA }, { username: loginB.name, password: passwordB }];
        const active = activeSlot(rotation);
        this.username = active === "a" ? role.name : loginB.name;
        this.password = active === "a" ? passwordA : passwordB;

        // Managed servers: the admin is no superuser, so it must be a member of the service role
        // for REVOKE … FROM PUBLIC on the role's database to take effect (otherwise a warning only).
        const membership = server.superuser ? undefined : new postgresql.GrantRole(`${name}-admin-member`, {
            role: server.adminUser,
            grantRole: role.name,
        }, { ...pg, dependsOn: [loginB] });

        const reader = spec.readers ? declareReaderRole(name, `${spec.role}_reader`, { ...keep, dependsOn: [membership ?? loginB] }) : undefined;

        const db = new postgresql.Database(`${name}-db`, {
            name: spec.database,
            owner: role.name,
            encoding: "UTF8",
            template: "template0",
            connectionLimit,
            allowConnections: true,
        }, { ...keep, dependsOn: [role, loginB, ...(membership ? [membership] : []), ...(reader ? [reader] : [])] });

        // From here on every resource waits for the previous one: one catalog writer at a time.
        let last: pulumi.Resource = new postgresql.Grant(`${name}-revoke-public-db`, {
            database: db.name,
            role: "public",
            objectType: "database",
            privileges: [],
        }, { ...pg, dependsOn: [db] });

        for (const schemaName of spec.schemas) {
            // Retained on delete: removing a schema from config never drops its tables; destroy
            // drops it with the database.
            const schema = new postgresql.Schema(`${name}-schema-${schemaName}`, {
                name: schemaName,
                database: db.name,
                owner: role.name,
                ifNotExists: true,
                dropCascade: false,
            }, { ...pg, dependsOn: [last], retainOnDelete: true });
            last = new postgresql.Grant(`${name}-revoke-public-schema-${schemaName}`, {
                database: db.name,
                schema: schemaName,
                role: "public",
                objectType: "schema",
                privileges: [],
            }, { ...pg, dependsOn: [schema] });
        }

        if (reader) {
            last = declareReader(name, { role: reader, database: db.name, owner: role.name, schemas: spec.schemas, opts: pg }, last);
        }

        for (const ext of spec.extensions) {
            // Retained on delete, like schemas: DROP EXTENSION fails (or, with CASCADE, drops
            // columns and tables) once data uses its types; destroy removes it with the database.
            last = new postgresql.Extension(`${name}-ext-${ext}`, {
                name: ext,
                database: db.name,
                createCascade: true,
            }, { ...pg, dependsOn: [last], retainOnDelete: true });
        }

        this.tail = last;
        this.host = server.host;
        this.port = server.port;
        this.database = db.name;
        this.url = pulumi.secret(pulumi.all([server.host, server.port, db.name, this.username, this.password])
            .apply(([host, port, database, username, pw]) =>
                connectionUrl({ host, port, database, username, password: pw, sslmode: server.sslmode, sslrootcert: server.sslrootcert })));

        if (spec.migrations.length > 0) {
            // After the database, role, grants and schemas: the end of the chain.
            this.migrations = new ServiceMigrations(`${name}-migrations`, {
                service: name, url: this.url, files: spec.migrations, schema: spec.schemas[0] ?? "public", backupDir: spec.backupBeforeMigrate,
            }, { parent: this, dependsOn: [last] });
        }

        this.registerOutputs({
            host: this.host, port: this.port, database: this.database,
            username: this.username, password: this.password, url: this.url,
        });
    }
}
