/**
 * The server of a ServiceDatabase declared by hand: the arguments validated as the stack config
 * is (src/standalone.ts), and, when they ask for one, the PostgresServer or PostgresContainer
 * the component declares for itself.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { folderLoader } from "../src/migrations/files";
import { FieldReader } from "../src/fields";
import { ConfigError, ConfigProblem, serviceSubject } from "../src/problems";
import { CORE_MODES, DEFAULTS } from "../src/spec";
import { SERVICE_SETTINGS } from "../src/settings/service";
import { planServiceDatabase, StandalonePlan } from "../src/standalone";
import { PostgresContainer } from "./postgresContainer";
import { PostgresServer } from "./postgresServer";
import { DatabaseServer } from "./server";
import type { ServiceDatabaseArgs } from "./serviceDatabase";


/** The validated plan, or a RunError (printed without a stack trace) listing every problem. */
export function planOrFail(name: string, args: ServiceDatabaseArgs): StandalonePlan {
    const problems: ConfigProblem[] = [];
    new FieldReader({ core: args.core }, serviceSubject(name), "", problems, "").oneOf("core", CORE_MODES, DEFAULTS.core);
    if (problems.length > 0) throw new pulumi.RunError(new ConfigError(problems).message);
    const settings = Object.fromEntries(Object.keys(SERVICE_SETTINGS).flatMap((k) => {
        const v = (args as Readonly<Record<string, unknown>>)[k];
        return v === undefined ? [] : [[k, v]];
    }));
    const folder = args.migrations === undefined ? undefined : path.resolve(args.migrations);
    try {
        return planServiceDatabase(name, settings, {
            server: args.server && { name: "server" },
            cluster: args.cluster,
            container: args.container,
        }, args.stack ?? pulumi.getStack(), folder === undefined ? undefined : (service) => folderLoader(path.dirname(folder))(path.basename(folder)) ?? missingFolder(service, folder));
    } catch (e) {
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}

function missingFolder(service: string, folder: string): never {
    throw new pulumi.RunError(`servicedb: service "${service}", field "migrations": folder ${folder} does not exist. Fix: give the folder that holds its V001__*.sql files, or leave migrations out.`);
}

/** The PostgresServer (`cluster`) or PostgresContainer (`container`) of a hand-declared ServiceDatabase. */
export function declareOwnServer(name: string, plan: StandalonePlan, args: ServiceDatabaseArgs, parent: pulumi.Resource): DatabaseServer {
    const c = plan.cluster;
    if (c) {
        return new PostgresServer(`${name}-server`, {
            host: c.host, port: c.port, adminUser: c.adminUser, sslmode: c.sslmode, sslrootcert: c.sslrootcert,
            maintenanceDatabase: c.maintenanceDatabase, superuser: c.superuser, parallelism: c.parallelism, reservedConnections: c.reservedConnections,
            declareProvider: (args.core ?? DEFAULTS.core) !== "single",
            adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword),
        }, { parent });
    }
    const k = plan.container;
    if (!k) throw new Error(`servicedb: service "${name}" has no server (planServiceDatabase let it through)`);
    const stack = args.stack ?? pulumi.getStack();
    const dockerProvider = new docker.Provider(`${name}-docker`, args.dockerHost ? { host: args.dockerHost } : {}, { parent });
    const network = new docker.Network(`${name}-network`, { name: `servicedb-${stack}-${k.name}` }, { parent, provider: dockerProvider });
    return new PostgresContainer(`${name}-container`, {
        image: k.image, version: k.version, port: k.port, volume: k.volume, memory: k.memory,
        removeVolumeOnDestroy: k.removeVolumeOnDestroy, containerName: `servicedb-${stack}-${k.name}`,
        network, dockerProvider, parallelism: k.parallelism, declareProvider: (args.core ?? DEFAULTS.core) !== "single",
    }, { parent });
}
