/**
 * Naming rules shared by the config validation, the components and the migration runner.
 * Pure functions only: no Pulumi, no I/O.
 */

/** PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/** A service name as used in config keys, Pulumi resource names and migration folders. */
export const SERVICE_NAME = /^[a-z][a-z0-9]*([-_][a-z0-9]+)*$/;

/**
 * An identifier servicedb will create: lower case, so it never needs quoting in psql, URLs or
 * application code.
 */
export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Databases that exist on every server. */
export const RESERVED_DATABASES: readonly string[] = ["postgres", "template0", "template1"];

/** Role names a service role may never take. */
export const RESERVED_ROLES: readonly string[] = ["postgres", "public", "current_user", "session_user", "current_role", "none"];

/** Schema names that belong to the server. */
export const RESERVED_SCHEMAS: readonly string[] = ["information_schema"];

/** The NOLOGIN read-only companion of a service's role (`readers: true`). */
export function readerRole(role: string): string {
    return `${role}_reader`;
}

/** `k-indexer` → `k_indexer`: the default database and role name of a service. */
export function snakeCase(serviceName: string): string {
    return serviceName.replace(/-/g, "_");
}

/** Byte length as PostgreSQL counts it (UTF-8). */
export function byteLength(s: string): number {
    return Buffer.byteLength(s, "utf8");
}

/**
 * Why `name` is not an identifier servicedb accepts, or undefined when it is fine.
 * `kind` is used in the message only ("database", "role", "schema").
 */
export function identifierProblem(name: string, kind: string): string | undefined {
    if (name.length === 0) {
        return `the ${kind} name is empty`;
    }
    if (byteLength(name) > MAX_IDENTIFIER_BYTES) {
        return `"${name}" is ${byteLength(name)} bytes; PostgreSQL silently truncates ${kind} names to ${MAX_IDENTIFIER_BYTES}`;
    }
    if (!IDENTIFIER.test(name)) {
        return `"${name}" is not a plain lower-case identifier (letters a-z, digits and _, not starting with a digit)`;
    }
    if (name.startsWith("pg_")) {
        return `"${name}" starts with "pg_", which PostgreSQL reserves for system ${kind}s`;
    }
    return undefined;
}
