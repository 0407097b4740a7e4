/**
 * servicedb: a PostgreSQL database per microservice, from one stack's config. A thin user of the
 * package (lib/index.ts): reads `servicedb:clusters` and `servicedb:services`, and
 * `platformFromConfig` validates them before declaring anything.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { platformFromConfig, readStackConfig } from "./lib";
import { PROJECT_ROOT } from "./src/root";
import { quietSdkDebugLogs } from "./src/sdkDebugLog";
import { keepCallerFrameOnly, skipPromiseLeakTraces } from "./src/stackTraces";

// One frame per resource in the checkpoint instead of the whole JavaScript stack, and the SDK's
// promise-leak stacks left unformatted unless PULUMI_DEBUG_PROMISE_LEAKS asks for them
// (src/stackTraces.ts); SERVICEDB_FULL_STACK_TRACES=true keeps the SDK's behaviour.
if (process.env.SERVICEDB_FULL_STACK_TRACES !== "true") {
    keepCallerFrameOnly();
    skipPromiseLeakTraces();
}
// The SDK's debug messages go to the engine only when the CLI shows or logs them (`--debug`, `-v`,
// `--logflow`; src/sdkDebugLog.ts); SERVICEDB_SDK_DEBUG_LOGS=true always sends them.
quietSdkDebugLogs();

const platform = platformFromConfig("servicedb", readStackConfig(), { migrations: path.join(PROJECT_ROOT, "migrations") });

/** service → { cluster, host, port, database, username, password (secret), url (secret) } */
export const databases = platform.databases;
/** service → { cluster, database, role, connectionLimit }: nothing secret. */
export const summary = platform.summary;
/** server → { host, port, mode, maxClientConnections, pools }: the PgBouncers, nothing secret. */
export const poolers = platform.poolers;
/** Secret: server → rendered PgBouncer files (pgbouncer.ini, userlist.txt), for poolers that run elsewhere. */
export const poolerFiles = pulumi.secret(platform.poolerFiles);
