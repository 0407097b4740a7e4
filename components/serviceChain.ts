/**
 * `servicedb:core: resources`: a service's core as a chain of the postgresql
 * provider's resources (two RandomPasswords, two Roles, [GrantRole], the Database, the revokes,
 * Schemas, Extensions, the reader's grants), each waiting for the one before, from `after`. Grants
 * of one database must not overlap ("tuple concurrently updated"), and a chain is one lane of its
 * server, so the provider never has more operations in flight than its pool can serve
 * (src/pool.ts). The database depends on the role, so destroy drops the database before the role.
 */
import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import { PLAIN_LOGIN, declareSecondLogin, generatedPassword, roleGuards } from "./credentials";
import { LoginSettings, declareLoginSettings } from "./loginSettings";
import { declareReadGrants, declareReaderRole } from "./readerRole";
import type { DatabaseServer } from "./server";
import { readerRole } from "../src/names";
import { activeSlot, rotationKeepers, secondLogin } from "../src/rotation";
import { scramVerifier } from "../src/pooler/scram";
import type { ServiceSpec } from "../src/spec";
import { databaseConnectionLimit } from "../src/pool";

/** What ServiceDatabase hands out, whichever way its core is declared. */
export interface CoreResult {
    readonly database: pulumi.Output<string>;
    readonly username: pulumi.Output<string>;
    /** Secret. */
    readonly password: pulumi.Output<string>;
    /** Both logins, passwords secret. */
    readonly logins: readonly { readonly username: pulumi.Output<string>; readonly password: pulumi.Output<string> }[];
    /** The last PostgreSQL resource: what the next service of the lane and the migrations wait for. */
    readonly tail: pulumi.Resource;
}

export interface ChainArgs {
    readonly spec: ServiceSpec;
    readonly server: DatabaseServer;
    readonly passwordLength: number;
    readonly after?: pulumi.Resource;
}

/** Declares the chain as children of `parent` (resource names from `name`). */
export function declareChain(name: string, { spec, server, passwordLength: length, after }: ChainArgs, parent: pulumi.Resource): CoreResult {
    if (!server.provider) throw new Error(`servicedb: service "${name}" uses core "resources" on a server declared without its postgresql provider (declare it with declareProvider: true)`);
    const pg = { parent, provider: server.provider };
    // What holds the data: protection and retention apply to these.
    const keep = { ...pg, protect: spec.protect, retainOnDelete: spec.retainOnDelete };

    const rotation = spec.rotation;
    const keepers = rotationKeepers(rotation);
    const passwordA = generatedPassword(`${name}-password`, length, keepers.a, parent);
    const passwordB = generatedPassword(`${name}-password-b`, length, keepers.b, parent);
    const connectionLimit = spec.connectionLimit;
    const guards = roleGuards(spec.settings);

    // The owning role is also the first login (slot a).
    // Passwords reach the server as SCRAM-SHA-256 verifiers with a stable salt: the plaintext
    // never does (no DDL log shows it), and a PgBouncer whose auth file holds the same
    // verifier can log in to the server with the client's own SCRAM keys (src/pooler/scram.ts).
    const role = new postgresql.Role(`${name}-role`, {
        ...PLAIN_LOGIN,
        name: spec.role,
        password: pulumi.secret(passwordA.apply((pw) => scramVerifier(spec.role, pw))),
        connectionLimit,
        ...guards,
    }, { ...keep, dependsOn: after ? [after] : [] });
    const loginB = declareSecondLogin(`${name}-login-b`, {
        name: secondLogin(spec.role), owner: role, connectionLimit, guards,
        password: pulumi.secret(passwordB.apply((pw) => scramVerifier(secondLogin(spec.role), pw))),
    }, { ...keep, dependsOn: [role] });
    const active = activeSlot(rotation);
    // Managed servers: the admin is no superuser, so it must be a member of the service role
    // for REVOKE … FROM PUBLIC on the role's database to take effect (otherwise a warning only).
    const membership = server.superuser ? undefined : new postgresql.GrantRole(`${name}-admin-member`, {
        role: server.adminUser,
        grantRole: role.name,
    }, { ...pg, dependsOn: [loginB] });

    // The guardrails the Role has no field for (lock_timeout, work_mem, temp_file_limit), when declared.
    const settings = declareLoginSettings(name, spec, server, { parent, dependsOn: [loginB] });
    const reader = spec.readers ? declareReaderRole(name, readerRole(spec.role), { ...keep, dependsOn: [membership ?? loginB] }) : undefined;

    const db = new postgresql.Database(`${name}-db`, {
        name: spec.database,
        owner: role.name,
        encoding: "UTF8",
        template: "template0",
        connectionLimit: databaseConnectionLimit(connectionLimit, server.superuser, server.reservedConnections),
        allowConnections: true,
    }, { ...keep, dependsOn: [role, loginB, ...[membership, reader, settings].filter((r): r is postgresql.Role | postgresql.GrantRole | LoginSettings => r !== undefined)] });

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
        last = declareReadGrants(`${name}-reader`, { grantee: reader.name, database: db.name, owner: role.name, schemas: spec.schemas, opts: pg }, [last, reader]);
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

    return {
        database: db.name,
        username: active === "a" ? role.name : loginB.name,
        password: active === "a" ? passwordA : passwordB,
        logins: [{ username: role.name, password: passwordA }, { username: loginB.name, password: passwordB }],
        tail: last,
    };
}
