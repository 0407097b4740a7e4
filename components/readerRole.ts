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
    /** Who gets the privileges: the reader role, or (reads:) another service's owning role. */
    readonly grantee: pulumi.Output<string>;
    /** The database's name (an Output, so the grants wait for it). */
    readonly database: pulumi.Input<string>;
    /** The read service's login role: owner of the tables that migrations create. */
    readonly owner: pulumi.Input<string>;
    readonly schemas: readonly string[];
    /** Options shared with the service's other resources (parent, provider, protection). */
    readonly opts: pulumi.CustomResourceOptions;
}

/**
 * Read-only access to a service's database, as the postgresql provider's resources named
 * `<prefix>-connect`, `-usage-<schema>`, `-tables-<schema>`, `-default-<schema>`: CONNECT, USAGE
 * on the schemas, SELECT on their tables, and default privileges FOR ROLE <owner> so that tables
 * created later by migrations are covered. For the opt-in `<role>_reader` (prefix `<svc>-reader`)
 * and for another service that `reads:` this one (`<reader>-reads-<svc>`). Continues a resource
 * chain from `after` (one catalog writer at a time) and returns its last resource.
 */
export function declareReadGrants(prefix: string, args: ReaderArgs, after: readonly pulumi.Resource[]): pulumi.Resource {
    const o = args.opts;
    let last: pulumi.Resource = new postgresql.Grant(`${prefix}-connect`, {
        database: args.database, role: args.grantee, objectType: "database", privileges: ["CONNECT"],
    }, { ...o, dependsOn: [...after] });
    for (const schema of args.schemas) {
        last = new postgresql.Grant(`${prefix}-usage-${schema}`, {
            database: args.database, schema, role: args.grantee, objectType: "schema", privileges: ["USAGE"],
        }, { ...o, dependsOn: [last] });
        last = new postgresql.Grant(`${prefix}-tables-${schema}`, {
            database: args.database, schema, role: args.grantee, objectType: "table", privileges: ["SELECT"], objects: [],
        }, { ...o, dependsOn: [last] });
        last = new postgresql.DefaultPrivileges(`${prefix}-default-${schema}`, {
            database: args.database, schema, owner: args.owner, role: args.grantee, objectType: "table", privileges: ["SELECT"],
        }, { ...o, dependsOn: [last] });
    }
    return last;
}
