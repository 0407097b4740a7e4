/**
 * servicedb: a PostgreSQL database per microservice, from one stack's config.
 * Reads and validates `servicedb:clusters` and `servicedb:services` before declaring anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { Platform } from "./components/platform";
import * as path from "path";
import { readStackConfig } from "./src/config";
import { folderLoader } from "./src/migrations/files";
import { planPlatform } from "./src/plan";
import { ConfigError } from "./src/problems";
import { PROJECT_ROOT } from "./src/root";

const raw = readStackConfig();

function plan() {
    try {
        return planPlatform(raw, folderLoader(path.join(PROJECT_ROOT, "migrations")));
    } catch (e) {
        // RunError: Pulumi prints the message without a stack trace.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

const spec = plan();
for (const w of spec.warnings) pulumi.log.warn(w);
const platform = new Platform("servicedb", {
    stack: pulumi.getStack(), clusters: spec.clusters, containers: spec.containers, services: spec.services, dockerHost: raw.dockerHost,
    poolers: spec.poolers,
});

/** service → { cluster, host, port, database, username, password (secret), url (secret) } */
export const databases = platform.databases;
/** service → { cluster, database, role, connectionLimit }: nothing secret. */
export const summary = platform.summary;
/** server → { host, port, mode, maxClientConnections, pools }: the PgBouncers, nothing secret. */
export const poolers = platform.poolers;
/** Secret: server → rendered PgBouncer files (pgbouncer.ini, userlist.txt), for poolers that run elsewhere. */
export const poolerFiles = pulumi.secret(platform.poolerFiles);
