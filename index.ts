/**
 * servicedb: a PostgreSQL database per microservice, from one stack's config. A thin user of the
 * package (lib/index.ts): reads `servicedb:clusters` and `servicedb:services`, and
 * `platformFromConfig` validates them before declaring anything.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { platformFromConfig, readStackConfig } from "./lib";
import { PROJECT_ROOT } from "./src/root";

const platform = platformFromConfig("servicedb", readStackConfig(), { migrations: path.join(PROJECT_ROOT, "migrations") });

/** service → { cluster, host, port, database, username, password (secret), url (secret) } */
export const databases = platform.databases;
/** service → { cluster, database, role, connectionLimit }: nothing secret. */
export const summary = platform.summary;
/** server → { host, port, mode, maxClientConnections, pools }: the PgBouncers, nothing secret. */
export const poolers = platform.poolers;
/** Secret: server → rendered PgBouncer files (pgbouncer.ini, userlist.txt), for poolers that run elsewhere. */
export const poolerFiles = pulumi.secret(platform.poolerFiles);
