/**
 * `pooler:` of a cluster (`servicedb:clusters.<name>.pooler`) or of a service's container
 * (`servicedb:services.<svc>.container.pooler`): a map of settings, or `true` for all defaults.
 * Shape problems are collected like every other config problem.
 */
import { FieldReader, RawObject, isObject } from "../fields";
import { ConfigProblem } from "../problems";
import { POOLER_SETTINGS } from "../settings/pooler";
import { readSettings } from "../settings/setting";
import { POOLER_DEFAULTS, PoolerRequest } from "./spec";

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
    const request: PoolerRequest = readSettings(POOLER_SETTINGS, r, obj, undefined);
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
