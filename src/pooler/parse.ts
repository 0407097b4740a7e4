/**
 * `pooler:` of a cluster (`servicedb:clusters.<name>.pooler`) or of a service's container
 * (`servicedb:services.<svc>.container.pooler`): a map of settings, or `true` for all defaults.
 * Shape problems are collected like every other config problem.
 */
import { FieldReader, RawObject, isObject } from "../fields";
import { ConfigProblem } from "../problems";
import { POOLER_DEFAULTS, POOL_MODES, PoolerRequest } from "./spec";

export const POOLER_FIELDS = ["mode", "port", "maxClientConnections", "image", "host", "external", "clientTls"] as const;

/** PgBouncer's hard ceiling is the process's file descriptors; beyond this a typo is likelier. */
const MAX_CLIENTS = 100_000;

/**
 * Reads `pooler` of `owner` (a cluster's or container's settings). `subject` and `path` name the
 * owner in problems (`cluster "main"`, `servicedb:clusters.main`); `prefix` is the field prefix
 * in messages ("" for a cluster, "container." inside a service's container).
 */
export function parsePoolerRequest(owner: RawObject, subject: string, path: string, problems: ConfigProblem[], prefix = ""): PoolerRequest | undefined {
    const raw = owner.pooler;
    if (raw === undefined || raw === null || raw === false) return undefined;
    if (raw !== true && !isObject(raw)) {
        problems.push({ subject, field: `${prefix}pooler`, problem: `must be a map of settings (or true), got ${JSON.stringify(raw)}`, fix: `write ${path}.${prefix}pooler as a map, e.g. { mode: transaction }, or true for the defaults` });
        return undefined;
    }
    const obj = raw === true ? {} : raw;
    const r = new FieldReader(obj, subject, path, problems, ".", `${prefix}pooler.`);
    r.rejectUnknown(POOLER_FIELDS);
    const request: PoolerRequest = {
        mode: r.oneOf("mode", POOL_MODES, POOLER_DEFAULTS.mode),
        port: obj.port === undefined ? undefined : r.integer("port", POOLER_DEFAULTS.port, 1024, 65535, "a free port from 1024 to 65535, e.g. 6432"),
        maxClientConnections: r.integer("maxClientConnections", POOLER_DEFAULTS.maxClientConnections, 1, MAX_CLIENTS, `the client connections PgBouncer accepts, e.g. ${POOLER_DEFAULTS.maxClientConnections}`),
        image: r.string("image", POOLER_DEFAULTS.image) ?? POOLER_DEFAULTS.image,
        host: r.optionalString("host"),
        external: r.boolean("external", false),
        clientTls: r.boolean("clientTls", false),
    };
    if (request.clientTls && !request.external) {
        problems.push({
            subject, field: `${prefix}pooler.clientTls`,
            problem: "is true, but the pooler runs in a container servicedb declares, which is published on 127.0.0.1 only and has no certificate",
            fix: `remove ${path}.${prefix}pooler.clientTls, or set external: true and mount a certificate at ${POOLER_DEFAULTS.configDir}/tls/tls.crt and tls.key`,
        });
    }
    if (request.external && request.host === undefined) {
        problems.push({
            subject, field: `${prefix}pooler.host`,
            problem: "is required for an external pooler: it is the address services reach it at (pooledUrl)",
            fix: `set ${path}.${prefix}pooler.host, e.g. pgbouncer.databases.svc.cluster.local`,
        });
    }
    if (request.host !== undefined && !request.external) {
        problems.push({
            subject, field: `${prefix}pooler.host`,
            problem: "is set, but servicedb's own pooler container is reached at 127.0.0.1",
            fix: `remove ${path}.${prefix}pooler.host, or set external: true if the pooler runs elsewhere`,
        });
    }
    return request;
}
