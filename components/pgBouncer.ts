/**
 * servicedb:pooler:PgBouncer — the connection pooler of one server: its rendered files
 * (pgbouncer.ini, userlist.txt with SCRAM verifiers, the server's CA), and, unless the pooler
 * runs elsewhere (`external`), a PgBouncer container next to the server with those files mounted.
 * The files are inputs of the container only: a config change replaces the pooler container,
 * never a role or a database.
 */
import * as fs from "fs";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { INI_FILE, UserlistEntry, renderFiles } from "../src/pooler/config";
import { scramVerifier } from "../src/pooler/scram";
import { POOLER_DEFAULTS, PoolerSpec, pooledSslmode, poolerServerConnections } from "../src/pooler/spec";
import { connectionUrl } from "../src/url";

/** One login of a service: its name and plaintext password (a secret; only its verifier is written). */
export interface PoolerLogin {
    readonly username: pulumi.Input<string>;
    readonly password: pulumi.Input<string>;
}

export interface PgBouncerArgs {
    readonly spec: PoolerSpec;
    /** service → its logins (both of them, so rotation works through the pooler). */
    readonly logins: Readonly<Record<string, readonly PoolerLogin[]>>;
    /** Docker container name. */
    readonly containerName: string;
    /** Required unless the pooler is external. */
    readonly dockerProvider?: docker.Provider;
    /** The stack's network (a bridge pooler joins it to reach a container by its alias). */
    readonly network?: docker.Network;
    /** What the container waits for (the server's container, when there is one). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The userlist of every login, verifiers computed from the passwords (inside the secret). */
function userlistOf(logins: Readonly<Record<string, readonly PoolerLogin[]>>): pulumi.Output<UserlistEntry[]> {
    const all = Object.values(logins).flat().map((l) => pulumi.all([l.username, l.password]));
    return pulumi.all(all).apply((pairs) => pairs.map(([username, password]) => ({ username, verifier: scramVerifier(username, password) })));
}

/**
 * The server's CA bundle, copied next to the config. A container pooler cannot verify the server
 * without it; an external pooler's operator may mount it at the same path instead.
 */
function serverCa(name: string, spec: PoolerSpec): string | undefined {
    const file = spec.upstream.sslrootcert;
    if (file === undefined) return undefined;
    if (fs.existsSync(file)) return fs.readFileSync(file, "utf8");
    if (spec.external) return undefined;
    throw new Error(`PgBouncer ${name}: sslrootcert ${file} does not exist on this machine; the pooler container needs it to verify the server`);
}

export class PgBouncer extends pulumi.ComponentResource {
    /** Secret: file name → content, ready for a ConfigMap/Secret when the pooler runs elsewhere. */
    readonly files: pulumi.Output<Record<string, string>>;
    readonly container?: docker.Container;
    readonly host: string;
    readonly port: number;
    private readonly spec: PoolerSpec;

    constructor(name: string, args: PgBouncerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("servicedb:pooler:PgBouncer", name, {}, opts);
        const spec = args.spec;
        this.spec = spec;
        this.host = spec.host;
        this.port = spec.port;
        const ca = serverCa(name, spec);
        this.files = pulumi.secret(userlistOf(args.logins).apply((entries) => renderFiles(spec, entries, ca)));
        if (!spec.external) this.container = this.declareContainer(name, args);
        this.registerOutputs({ host: this.host, port: this.port, containerId: this.container?.id });
    }

    private declareContainer(name: string, args: PgBouncerArgs): docker.Container {
        const spec = this.spec;
        if (!args.dockerProvider) throw new Error(`PgBouncer ${name}: a pooler container needs the stack's Docker provider`);
        const dockerOpts = { parent: this, provider: args.dockerProvider };
        const dir = POOLER_DEFAULTS.configDir;
        const image = new docker.RemoteImage(`${name}-image`, { name: spec.image, keepLocally: true }, dockerOpts);
        // File descriptors: one per client and per server connection, plus PgBouncer's own.
        const nofile = spec.maxClientConnections + poolerServerConnections(spec) + 100;
        return new docker.Container(name, {
            name: args.containerName,
            image: image.imageId,
            // The image's own entrypoint (which may generate a config from env) is bypassed.
            entrypoints: ["pgbouncer"],
            command: [`${dir}/${INI_FILE}`],
            uploads: this.files.apply((files) => Object.entries(files).map(([file, content]) => ({ file: `${dir}/${file}`, content, permissions: "0444" }))),
            ...(spec.network === "host"
                ? { networkMode: "host" }
                : {
                    ports: [{ internal: spec.listenPort, external: spec.port, ip: "127.0.0.1" }],
                    networksAdvanced: args.network ? [{ name: args.network.name }] : undefined,
                }),
            ulimits: [{ name: "nofile", soft: nofile, hard: nofile }],
            restart: "unless-stopped",
        }, {
            ...dockerOpts,
            // Never two poolers on one port.
            deleteBeforeReplace: true,
            additionalSecretOutputs: ["uploads"],
            dependsOn: args.dependsOn,
        });
    }

    /** Secret: the service's URL through the pooler (same database and login as `url`). */
    pooledUrl(database: pulumi.Input<string>, username: pulumi.Input<string>, password: pulumi.Input<string>): pulumi.Output<string> {
        const spec = this.spec;
        return pulumi.secret(pulumi.all([database, username, password]).apply(([db, user, pw]) =>
            connectionUrl({ host: spec.host, port: spec.port, database: db, username: user, password: pw, sslmode: pooledSslmode(spec) })));
    }
}
