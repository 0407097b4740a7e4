import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConnection } from "servicedb/consumer";

/** The environment a service process expects: libpq's PG* variables and DATABASE_URL. Secret. */
export function databaseEnv(db: DatabaseConnection): pulumi.Output<Record<string, string>> {
    return pulumi.secret(pulumi.all([db.url, db.host, db.port, db.database, db.username, db.password]).apply(
        ([url, host, port, database, user, password]): Record<string, string> => ({
            DATABASE_URL: url, PGHOST: host, PGPORT: String(port), PGDATABASE: database, PGUSER: user, PGPASSWORD: password,
        })));
}

/** A Kubernetes `v1/Secret` manifest (stringData) holding `env`. Secret. */
export function kubernetesSecret(name: string, env: pulumi.Output<Record<string, string>>): pulumi.Output<string> {
    return pulumi.secret(env.apply((stringData) => JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", stringData }, null, 2)));
}
