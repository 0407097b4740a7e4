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

function plan() {
    try {
        return planPlatform(readStackConfig(), folderLoader(path.join(__dirname, "migrations")));
    } catch (e) {
        // RunError: Pulumi prints the message without a stack trace.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

const spec = plan();
const platform = new Platform("servicedb", { clusters: spec.clusters, services: spec.services });

/** service → { cluster, host, port, database, username, password (secret), url (secret) } */
export const databases = platform.databases;
/** service → { cluster, database, role, connectionLimit }: nothing secret. */
export const summary = platform.summary;
