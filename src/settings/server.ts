/**
 * The servers: an existing one (`servicedb:clusters.<name>`) and a service's own container
 * (`servicedb:services.<svc>.container`).
 */
import { parsePoolerRequest } from "../pooler/parse";
import { DEFAULT_PARALLELISM, MAX_PARALLELISM } from "../pool";
import { DEFAULTS, SSL_MODES, SslMode, isLoopbackHost } from "../spec";
import type { PoolerRequest } from "../pooler/spec";
import { isObject, type RawObject } from "../fields";
import { cnpgRwHost } from "../kubernetes/names";
import { custom, flag, integer, optionalInteger, optionalText, text } from "./kinds";
import { POOLER_SETTINGS } from "./pooler";
import type { Declaration, InputOf, Setting } from "./setting";

/** Who owns the settings being read: for problems' subjects and paths. */
export interface Owner {
    /** `cluster "main"`, `service "k-indexer"`. */
    readonly subject: string;
    /** `servicedb:clusters.main`, `servicedb:services.k-indexer`. */
    readonly path: string;
    /** Field prefix in messages: "" for a cluster, "container." inside a service's container. */
    readonly prefix: string;
}

/** The level above a cluster's settings. */
export interface ClusterOwner extends Owner {
    /** Whether `servicedb:clusters` holds `secure:` values: a plain admin password is refused. */
    readonly clustersAreSecret: boolean;
    /** The cluster's name (`servicedb:clusters.<name>`). */
    readonly name: string;
}

const cnpgNamespace = (raw: RawObject): string | undefined => (isObject(raw.cnpg) && typeof raw.cnpg.namespace === "string" ? raw.cnpg.namespace : undefined);

function pooler<C extends Owner>(): Setting<PoolerRequest | undefined, InputOf<typeof POOLER_SETTINGS> | true, C> {
    return custom({
        doc: "A PgBouncer in front of this server, pools sized from the services' budgets; a map (see [Pooling](pooling.md)) or `true` for the defaults.",
        defaultDoc: "none", wire: { nested: "Pooler", settings: POOLER_SETTINGS },
        read: (r, _k, { raw, outer }) => parsePoolerRequest(raw, outer.subject, outer.path, r.problems, outer.prefix),
    });
}

/** Required, except with `cnpg` (refused there: derived from the cluster's name and namespace). */
const HOST: Setting<string, string, ClusterOwner> = {
    doc: "Host name or address of the server (with `cnpg`, derived: `<name>-rw.<namespace>.svc`).", defaultDoc: "— (required)", wire: "string", required: true,
    read: (r, k, { raw, outer }) => {
        if (raw.cnpg === undefined || raw.cnpg === null) return r.string(k) ?? "";
        if (raw[k] !== undefined) r.add(k, "is set together with cnpg; servicedb declares that cluster and derives its address", `remove ${r.pathOf(k)}`);
        return cnpgRwHost(outer.name, cnpgNamespace(raw) ?? "default");
    },
};

export const CLUSTER_SETTINGS = {
    host: HOST,
    port: integer({ doc: "TCP port the server listens on.", default: DEFAULTS.port, min: 1, max: 65535, hint: "the server's port, e.g. 5432" }),
    adminUser: text({ doc: "Login that creates roles and databases.", default: DEFAULTS.adminUser }),
    adminPassword: custom<string | undefined, string, ClusterOwner>({
        doc: "Must be a secret: `pulumi config set --secret --path 'servicedb:clusters.<name>.adminPassword' …`; a plain value is refused.",
        defaultDoc: "the `PGPASSWORD` of the process running `pulumi`", wire: "string", secret: true,
        read: (r, k, { outer }) => {
            const v = r.optionalString(k);
            if (v !== undefined && !outer.clustersAreSecret) {
                r.problems.push({ subject: outer.subject, field: k, problem: "is stored in plain text", fix: `store it encrypted: pulumi config set --secret --path '${outer.path}.${k}' <password>` });
            }
            return v;
        },
    }),
    sslmode: custom<SslMode, string, ClusterOwner>({
        doc: `libpq sslmode used by servicedb and written into every service URL, one of ${SSL_MODES.map((m) => `\`${m}\``).join(", ")}; use \`verify-full\` in production.`,
        defaultDoc: "`disable` for a loopback host (127.x, `localhost`, `::1`), `require` otherwise", wire: "string",
        read: (r, k, { raw }) => r.oneOf(k, SSL_MODES, typeof raw.host === "string" && isLoopbackHost(raw.host) ? DEFAULTS.loopbackSslmode : DEFAULTS.remoteSslmode),
    }),
    maintenanceDatabase: text({ doc: "Database servicedb connects to as the admin; no service may use it.", default: DEFAULTS.maintenanceDatabase }),
    superuser: flag({ doc: "`false` on managed servers (RDS, Cloud SQL) whose admin is not a superuser: each service role then gets the admin as a member.", default: ({ raw }) => (raw.cnpg === undefined || raw.cnpg === null ? DEFAULTS.superuser : false), defaultDoc: "`true` (`false` with `cnpg`: every access statement runs as the service's own role)" }),
    maxConnections: integer({ doc: "The server's max_connections (`SHOW max_connections`).", default: DEFAULTS.maxConnections, min: 1, max: 262143, hint: "the server's max_connections (SHOW max_connections)" }),
    reservedConnections: integer({
        doc: "Connections kept out of the services' budget: admins, superuser slots, and servicedb's own, at most 2 × `parallelism` (8 by default); a reserve smaller than that is refused.",
        default: DEFAULTS.reservedConnections, min: 0, max: 262143, hint: `the connections kept for admins and the provider, e.g. ${DEFAULTS.reservedConnections}`,
    }),
    memory: optionalInteger({ doc: "The server's memory in MB: the services' `workMem` × `connectionLimit` must fit in a quarter of it.", min: 64, max: 1073741824, hint: "the server's memory in MB, e.g. 4096", defaultDoc: "none (no memory budget)" }),
    sslrootcert: optionalText({ doc: "Path (on the machine running `pulumi`) of the PEM CA bundle that signed the server's certificate; given to servicedb and written into every URL as `sslrootcert=…`, so the runner and services verify the server too.", defaultDoc: "none" }),
    parallelism: integer({
        doc: `PostgreSQL operations servicedb runs at once on this server, whatever \`pulumi up --parallel\` says (see [Why \`pulumi up\` cannot hang](#why-pulumi-up-cannot-hang)); from 1 to ${MAX_PARALLELISM}.`,
        default: DEFAULT_PARALLELISM, min: 1, max: MAX_PARALLELISM, hint: `the PostgreSQL operations run at once on this server, from 1 to ${MAX_PARALLELISM} (default ${DEFAULT_PARALLELISM})`,
    }),
    pooler: pooler<ClusterOwner>(),
} satisfies Declaration<ClusterOwner>;

export const CONTAINER_SETTINGS = {
    name: custom<string | undefined, string, Owner>({
        doc: "Container name; services that give the same name share it.", defaultDoc: "the service name", wire: "string",
        read: (r, k) => r.optionalString(k),
    }),
    image: optionalText({ doc: "Any PostgreSQL image; specialised ones work with their extensions, e.g. `timescale/timescaledb:latest-pg16`, `pgvector/pgvector:pg16`, `postgis/postgis:16-3.5`.", defaultDoc: "`postgres:17`, or what the extensions need" }),
    version: optionalInteger({ doc: "PostgreSQL major version; decides the data directory (`/var/lib/postgresql/data`, or `/var/lib/postgresql` from 18 on). Required when the image tag does not say.", min: 12, max: 18, hint: "a PostgreSQL major version from 12 to 18", defaultDoc: "read from the image tag (`16`, `16.4-bookworm`, `latest-pg16`, `pg17`)" }),
    port: optionalInteger({ doc: "Host port, published on 127.0.0.1 only; the same config always yields the same ports.", min: 1024, max: 65535, hint: "a free port from 1024 to 65535", defaultDoc: "`servicedb:containerBasePort` (5433) + a hash of the name, probing upwards on a clash" }),
    volume: optionalText({ doc: "Named Docker volume for the data directory; it survives replacement and `pulumi destroy`.", defaultDoc: "`servicedb-<stack>-<name>-data`" }),
    memory: optionalInteger({ doc: "Memory limit in MB; the services' `workMem` × `connectionLimit` must fit in a quarter of it.", min: 64, max: 1048576, hint: "a limit in MB, e.g. 1024", defaultDoc: "none" }),
    removeVolumeOnDestroy: custom<boolean | undefined, boolean, Owner>({
        doc: "`true` deletes the volume (and the data) on destroy.", defaultDoc: "`false`", wire: "boolean",
        read: (r, k, { raw }) => (raw[k] === undefined ? undefined : r.boolean(k, false)),
    }),
    pooler: pooler(),
} satisfies Declaration<Owner>;
