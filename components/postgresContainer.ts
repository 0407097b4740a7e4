import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULTS } from "../src/spec";
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
import { dataDirectory } from "../src/images";
import { DEFAULT_PARALLELISM, providerMaxConnections } from "../src/pool";
import { DatabaseServer } from "./server";
import { ServicedbProvider } from "./servicedbProvider";

/**
 * The healthcheck command. POSTGRES_PASSWORD only counts when initdb runs, so a data volume kept
 * from an earlier container (destroy keeps it) still holds the *old* admin password while the new
 * container and its provider carry a newly generated one. Once the server is up, the check sets
 * the admin password to this container's POSTGRES_PASSWORD over the unix socket (local trust, as
 * the postgres image configures it), once per container (a marker in /tmp, which a new container
 * does not have). The password comes from the container's environment: nothing secret is in the
 * command, and it is passed to psql as a variable, never spliced into SQL.
 */
export const ADMIN_PASSWORD_SYNC = [
    "pg_isready -q -h 127.0.0.1 -p 5432 -U postgres -d postgres",
    "{ test -f /tmp/servicedb-admin-password || { echo \"ALTER ROLE postgres PASSWORD :'pw'\" | psql -q -X -v ON_ERROR_STOP=1 -v pw=\"$POSTGRES_PASSWORD\" -U postgres -d postgres && touch /tmp/servicedb-admin-password; }; }",
].join(" && ");

export interface PostgresContainerArgs {
    /** Image reference, e.g. `postgres:17` or `timescale/timescaledb:latest-pg16`. */
    readonly image: string;
    /** PostgreSQL major version of the image: decides the data directory. */
    readonly version: number;
    /** Host port, published on 127.0.0.1 only. */
    readonly port: number;
    /** Name of the Docker volume that holds the data directory. */
    readonly volume: string;
    /** Docker container name. */
    readonly containerName: string;
    /** Memory limit in MB. Defaults to none. */
    readonly memory?: number;
    /** Delete the volume (and the data) on destroy. Defaults to false: the volume is retained. */
    readonly removeVolumeOnDestroy?: boolean;
    /** The stack's Docker network; the container joins it with its name as alias. */
    readonly network: docker.Network;
    /** The explicit Docker provider. */
    readonly dockerProvider: docker.Provider;
    /** Seconds to wait for the healthcheck to pass. Defaults to 120. */
    readonly waitTimeout?: number;
    /** PostgreSQL operations in flight on this server; sizes the provider's pool. Defaults to 4. */
    readonly parallelism?: number;
    /** Declare the container's postgresql.Provider (see PostgresServerArgs.declareProvider). Defaults to false. */
    readonly declareProvider?: boolean;
}

/**
 * servicedb:docker:PostgresContainer — a PostgreSQL server of its own for one service (or a
 * named group), and the provider that reaches it once it is healthy. Data lives in a named
 * volume that survives replacement and, unless asked otherwise, destroy; replacement deletes
 * the old container first, so two servers never share one data directory.
 */
export class PostgresContainer extends pulumi.ComponentResource implements DatabaseServer {
    readonly provider?: postgresql.Provider;
    readonly servicedb: ServicedbProvider;
    readonly ready: readonly pulumi.Resource[];
    readonly container: docker.Container;
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly adminUser: pulumi.Output<string>;
    readonly sslmode = "disable";
    readonly superuser = true;
    readonly maintenanceDatabase = "postgres";
    readonly parallelism: number;
    /** Its admin is the image's superuser, whom no database limit counts. */
    readonly reservedConnections = DEFAULTS.reservedConnections;
    /** Secret. */
    readonly adminPassword: pulumi.Output<string>;

    constructor(name: string, args: PostgresContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:docker:PostgresContainer", name, {}, opts);
        // First: the engine starts servicedb's provider's process while the program goes on declaring.
        this.servicedb = new ServicedbProvider(`${name}-servicedb`, { parent: this });
        const dockerOpts = { parent: this, provider: args.dockerProvider };
        this.parallelism = args.parallelism ?? DEFAULT_PARALLELISM;

        // keepLocally: destroy never deletes an image other stacks or containers may use.
        const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, dockerOpts);
        const volume = new docker.Volume(`${name}-data`, { name: args.volume }, { ...dockerOpts, retainOnDelete: !(args.removeVolumeOnDestroy ?? false) });
        const password = new random.RandomPassword(`${name}-admin-password`, { length: 40, special: false }, { parent: this });
        this.adminPassword = pulumi.secret(password.result);

        this.container = new docker.Container(name, {
            name: args.containerName,
            image: image.imageId,
            envs: [pulumi.interpolate`POSTGRES_PASSWORD=${this.adminPassword}`, "POSTGRES_USER=postgres"],
            ports: [{ internal: 5432, external: args.port, ip: "127.0.0.1" }],
            volumes: [{ volumeName: volume.name, containerPath: dataDirectory(args.version) }],
            removeVolumes: false,
            // The healthcheck passes once the real server answers on TCP (-h 127.0.0.1: during initdb
            // the entrypoint's temporary server listens on the unix socket only) and the admin
            // password is this container's POSTGRES_PASSWORD (see ADMIN_PASSWORD_SYNC).
            healthcheck: {
                tests: ["CMD-SHELL", ADMIN_PASSWORD_SYNC],
                interval: "2s", timeout: "10s", retries: 30, startPeriod: "10s",
            },
            wait: true,
            waitTimeout: args.waitTimeout ?? 120,
            restart: "unless-stopped",
            memory: args.memory,
            // Without it the daemon reports swap = 2 × memory and every preview shows a diff.
            // Equal to memory: no swap, as a database server wants.
            memorySwap: args.memory,
            networksAdvanced: [{ name: args.network.name, aliases: [name] }],
        }, {
            ...dockerOpts,
            deleteBeforeReplace: true,
            // POSTGRES_PASSWORD is read by initdb only: a changed value must neither replace the
            // container nor lock the provider out. Rotate the admin password with SQL.
            ignoreChanges: ["envs"],
            additionalSecretOutputs: ["envs"],
        });

        this.host = pulumi.output("127.0.0.1");
        this.port = pulumi.output(args.port);
        this.adminUser = pulumi.output("postgres");
        this.ready = [this.container];
        this.provider = !args.declareProvider ? undefined : new postgresql.Provider(`${name}-provider`, {
            host: "127.0.0.1",
            port: args.port,
            username: "postgres",
            password: this.adminPassword,
            database: "postgres",
            sslmode: "disable",
            superuser: true,
            connectTimeout: 60,
            maxConnections: providerMaxConnections(this.parallelism),
        }, { parent: this, dependsOn: [this.container] });

        this.registerOutputs({ host: this.host, port: this.port, containerId: this.container.id });
    }
}
