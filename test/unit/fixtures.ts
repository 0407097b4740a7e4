/** Config fixtures: the shapes `pulumi config` hands to the program. */

export const LOCAL_CLUSTER = { host: "127.0.0.1", port: 5432, adminUser: "postgres", sslmode: "disable", maxConnections: 100 };

/** The five-services-in-one-cluster scenario: limits 20/15/10/5/5 plus a reserve of 10. */
/** Pins the resource chain (`servicedb:core: resources`) for tests about its resources; the default is single. */
export const CHAIN = { "servicedb:core": "resources" } as const;

export const FIVE_SERVICES = {
    "servicedb:clusters": { main: { ...LOCAL_CLUSTER, maxConnections: 65, reservedConnections: 10 } },
    "servicedb:services": {
        "orders": { cluster: "main", connectionLimit: 20 },
        "payments": { cluster: "main", connectionLimit: 15, extensions: ["pgcrypto"] },
        "k-indexer": { cluster: "main", connectionLimit: 10, database: "ksocial", schemas: ["public", "indexer"] },
        "notifications": { cluster: "main", connectionLimit: 5 },
        "search": { cluster: "main", connectionLimit: 5 },
    },
};

/** Resource type tokens the tests look for. */
export const T = {
    provider: "pulumi:providers:postgresql",
    role: "postgresql:index/role:Role",
    database: "postgresql:index/database:Database",
    grant: "postgresql:index/grant:Grant",
    grantRole: "postgresql:index/grantRole:GrantRole",
    schema: "postgresql:index/schema:Schema",
    extension: "postgresql:index/extension:Extension",
    password: "random:index/randomPassword:RandomPassword",
    serviceDb: "servicedb:postgres:ServiceDatabase",
    server: "servicedb:postgres:Server",
    core: "servicedb:core:ServiceCore",
    migrations: "servicedb:migrations:ServiceMigrations",
    servicedbProvider: "pulumi:providers:servicedb",
};
