import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";

/**
 * The NOLOGIN reader role itself. Declared before the database, which depends on it: destroy
 * then drops the database (and every privilege the reader holds in it) before the role, which
 * could not be dropped while it still holds privileges there (default privileges keep granting
 * it SELECT on tables that migrations create later).
 */
export function declareReaderRole(prefix: string, name: string, opts: pulumi.CustomResourceOptions): postgresql.Role {
    return new postgresql.Role(`${prefix}-reader`, {
        name, login: false, superuser: false, createDatabase: false, createRole: false,
        replication: false, bypassRowLevelSecurity: false, inherit: true,
    }, opts);
}

export interface ReaderArgs {
    /** The reader role (see declareReaderRole). */
    readonly role: postgresql.Role;
    /** The database's name (an Output, so the grants wait for it). */
    readonly database: pulumi.Output<string>;
    /** The service's login role: owner of the tables that migrations create. */
    readonly owner: pulumi.Output<string>;
    readonly schemas: readonly string[];
    /** Options shared with the service's other resources (parent, provider, protection). */
    readonly opts: pulumi.CustomResourceOptions;
}

/**
 * The grants of the opt-in read-only companion of a service: the NOLOGIN `<role>_reader` gets CONNECT, USAGE on
 * the service's schemas, SELECT on their tables, and default privileges FOR ROLE <owner> so that
 * tables created later by migrations are covered. Grant it to a reporting login to give it read
 * access that is declared, not improvised. Continues the database's resource chain from `after`
 * and returns the last resource.
 */
export function declareReader(prefix: string, args: ReaderArgs, after: pulumi.Resource): pulumi.Resource {
    const o = args.opts;
    const role = args.role;
    let last: pulumi.Resource = new postgresql.Grant(`${prefix}-reader-connect`, {
        database: args.database, role: role.name, objectType: "database", privileges: ["CONNECT"],
    }, { ...o, dependsOn: [after, role] });
    for (const schema of args.schemas) {
        last = new postgresql.Grant(`${prefix}-reader-usage-${schema}`, {
            database: args.database, schema, role: role.name, objectType: "schema", privileges: ["USAGE"],
        }, { ...o, dependsOn: [last] });
        last = new postgresql.Grant(`${prefix}-reader-tables-${schema}`, {
            database: args.database, schema, role: role.name, objectType: "table", privileges: ["SELECT"], objects: [],
        }, { ...o, dependsOn: [last] });
        last = new postgresql.DefaultPrivileges(`${prefix}-reader-default-${schema}`, {
            database: args.database, schema, owner: args.owner, role: role.name, objectType: "table", privileges: ["SELECT"],
        }, { ...o, dependsOn: [last] });
    }
    return last;
}
