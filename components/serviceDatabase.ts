import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import { connectionUrl } from "../src/url";
import { DatabaseServer } from "./server";
import { PLAIN_LOGIN, declareSecondLogin, generatedPassword } from "./credentials";
import { NO_ROTATION, Rotation, activeSlot, rotationKeepers, secondLogin } from "../src/rotation";
import { scramVerifier } from "../src/pooler/scram";
import { declareReader, declareReaderRole } from "./readerRole";

export interface ServiceDatabaseArgs {
    /** The server that hosts the database; its provider is used for every resource. */
    readonly server: DatabaseServer;
    /** Database name (a validated identifier). */
    readonly database: string;
    /** Login role that owns the database (a validated identifier). */
    readonly role: string;
    /** Connections the role and the database accept. Defaults to 10. */
    readonly connectionLimit?: pulumi.Input<number>;
    /** Extensions created in the database. Defaults to none. */
    readonly extensions?: readonly string[];
    /** Schemas owned by the role, PUBLIC shut out. Defaults to ["public"]. */
    readonly schemas?: readonly string[];
    /** Length of the generated password (letters and digits only: URL-safe). Defaults to 40. */
    readonly passwordLength?: number;
    /** Declare the read-only companion role `<role>_reader`. Defaults to false. */
    readonly readers?: boolean;
    /**
     * Rotations so far: each one regenerates the login not in use and hands it out; the previous
     * one stays valid until the next rotation (src/rotation.ts). Defaults to none.
     */
    readonly rotation?: Rotation;
    /** `protect` the role and database: destroy and replace are refused. Defaults to false. */
    readonly protect?: boolean;
    /** Leave the role and database on the server when they leave the stack. Defaults to false. */
    readonly retainOnDelete?: boolean;
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
    /** The last PostgreSQL resource of the chain: what the next service of the lane waits for. */
    readonly tail: pulumi.Resource;
    /** Both logins (the owning role and `<role>_b`), passwords secret: what a pooler's auth file lists. */
    readonly logins: readonly { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> }[];

    constructor(name: string, args: ServiceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:postgres:ServiceDatabase", name, {}, opts);
        const server = args.server;
        const pg = { parent: this, provider: server.provider };
        // What holds the data: protection and retention apply to these.
        const keep = { ...pg, protect: args.protect ?? false, retainOnDelete: args.retainOnDelete ?? false };

        const rotation = args.rotation ?? NO_ROTATION;
        const keepers = rotationKeepers(rotation);
        const length = args.passwordLength ?? 40;
        const passwordA = generatedPassword(`${name}-password`, length, keepers.a, this);
        const passwordB = generatedPassword(`${name}-password-b`, length, keepers.b, this);
        const connectionLimit = args.connectionLimit ?? 10;

        // The owning role is also the first login (slot a): a stack from before rotations were
        // two-phase keeps this resource, its name and its password.
        // Passwords reach the server as SCRAM-SHA-256 verifiers with a stable salt: the plaintext
        // never does (no DDL log shows it), and a PgBouncer whose auth file holds the same
        // verifier can log in to the server with the client's own SCRAM keys (src/pooler/scram.ts).
        const role = new postgresql.Role(`${name}-role`, {
            ...PLAIN_LOGIN,
            name: args.role,
            password: pulumi.secret(passwordA.apply((pw) => scramVerifier(args.role, pw))),
            connectionLimit,
        }, { ...keep, dependsOn: args.after ? [args.after] : [] });
        const loginB = declareSecondLogin(`${name}-login-b`, {
            name: secondLogin(args.role), owner: role, connectionLimit,
            password: pulumi.secret(passwordB.apply((pw) => scramVerifier(secondLogin(args.role), pw))),
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

        const reader = args.readers ? declareReaderRole(name, `${args.role}_reader`, { ...keep, dependsOn: [membership ?? loginB] }) : undefined;

        const db = new postgresql.Database(`${name}-db`, {
            name: args.database,
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

        for (const schemaName of args.schemas ?? ["public"]) {
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
            last = declareReader(name, { role: reader, database: db.name, owner: role.name, schemas: args.schemas ?? ["public"], opts: pg }, last);
        }

        for (const ext of args.extensions ?? []) {
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

        this.registerOutputs({
            host: this.host, port: this.port, database: this.database,
            username: this.username, password: this.password, url: this.url,
        });
    }
}
