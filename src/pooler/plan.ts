/**
 * planPoolers: the `pooler:` requests of clusters and container groups → one PoolerSpec per
 * pooled server, with a pool per service sized from its connection budget, plus the checks that
 * need the whole platform (ports, services' poolSize without a pooler). Pure.
 */
import { cnpgPoolerHost } from "../kubernetes/names";
import { ConfigProblem, clusterSubject, serviceSubject } from "../problems";
import { secondLogin } from "../rotation";
import { ClusterSpec, ContainerSpec, ServiceSpec, isLoopbackHost } from "../spec";
import { checkPoolSize, poolSizeOf } from "./budget";
import { POOLER_DEFAULTS, PoolSpec, PoolerRequest, PoolerSpec, PoolerUpstream } from "./spec";

/** PgBouncer's port inside its own container (bridge network). */
export const POOLER_INTERNAL_PORT = 6432;

export interface PoolerPlan {
    readonly poolers: PoolerSpec[];
    readonly warnings: string[];
}

function poolsOf(server: string, services: readonly ServiceSpec[]): PoolSpec[] {
    return services.filter((s) => s.cluster === server).map((s) => ({
        service: s.name, database: s.database, logins: [s.role, secondLogin(s.role)],
        poolSize: poolSizeOf(s), connectionLimit: s.connectionLimit,
    }));
}

function defaultContainerPort(postgresPort: number): number {
    const up = postgresPort + POOLER_DEFAULTS.containerPortOffset;
    return up <= 65535 ? up : postgresPort - POOLER_DEFAULTS.containerPortOffset;
}

function specOf(name: string, kind: PoolerSpec["kind"], req: PoolerRequest, port: number, upstream: PoolerUpstream, pools: PoolSpec[]): PoolerSpec {
    const network = req.external ? "none" : kind === "cluster" && isLoopbackHost(upstream.host) ? "host" : "bridge";
    return {
        name, kind, mode: req.mode, port, host: req.host ?? "127.0.0.1",
        listenAddress: network === "host" ? "127.0.0.1" : "0.0.0.0",
        listenPort: network === "bridge" ? POOLER_INTERNAL_PORT : port,
        network, maxClientConnections: req.maxClientConnections, image: req.image,
        external: req.external, clientTls: req.clientTls, upstream, pools,
    };
}

/** A container group's pooler: the services that ask for one must agree on its settings. */
function containerRequest(c: ContainerSpec, services: readonly ServiceSpec[], problems: ConfigProblem[]): PoolerRequest | undefined {
    let chosen: { from: string; req: PoolerRequest } | undefined;
    for (const s of services.filter((x) => c.services.includes(x.name))) {
        const req = s.container?.pooler;
        if (!req) continue;
        if (!chosen) { chosen = { from: s.name, req }; continue; }
        if (JSON.stringify(req) !== JSON.stringify(chosen.req)) {
            problems.push({
                subject: serviceSubject(s.name), field: "container.pooler",
                problem: `differs from the pooler service "${chosen.from}" gives container "${c.name}"`,
                fix: `give every service of container "${c.name}" the same container.pooler, or set it on one of them only`,
            });
        }
    }
    return chosen?.req;
}

export function planPoolers(clusters: readonly ClusterSpec[], containers: readonly ContainerSpec[], services: readonly ServiceSpec[], problems: ConfigProblem[]): PoolerPlan {
    const poolers: PoolerSpec[] = [];
    for (const c of clusters) {
        if (!c.pooler) continue;
        const upstream = { host: c.host, port: c.port, sslmode: c.sslmode, sslrootcert: c.sslrootcert };
        if (c.cnpg) {
            // CloudNativePG runs it (a Pooler object): its Service, TLS with the operator's certificate.
            const host = cnpgPoolerHost(c.name, c.cnpg.namespace);
            poolers.push({ ...specOf(c.name, "cluster", { ...c.pooler, host, external: false, clientTls: true }, 5432, upstream, poolsOf(c.name, services)), cnpg: true });
            continue;
        }
        poolers.push(specOf(c.name, "cluster", c.pooler, c.pooler.port ?? POOLER_DEFAULTS.port, upstream, poolsOf(c.name, services)));
    }
    for (const c of containers) {
        const req = containerRequest(c, services, problems);
        if (!req) continue;
        const upstream = { host: c.name, port: 5432, sslmode: "disable" as const };
        poolers.push(specOf(c.name, "container", req, req.port ?? defaultContainerPort(c.port), upstream, poolsOf(c.name, services)));
    }
    for (const s of services) {
        problems.push(...checkPoolSize(s, poolers.some((p) => p.name === s.cluster)));
    }
    problems.push(...portClashes(poolers, containers));
    const warnings = poolers.filter((p) => p.external && !p.clientTls && !isLoopbackHost(p.host)).map((p) =>
        `${p.kind} "${p.name}": pooler.host ${p.host} is reached without TLS (pooledUrl says sslmode=disable); set pooler.clientTls: true and mount a certificate, unless that network is private to the services`);
    return { poolers, warnings };
}

/** Two servers' poolers, or a pooler and a container, on one host port. */
export function portClashes(poolers: readonly PoolerSpec[], containers: readonly ContainerSpec[]): ConfigProblem[] {
    const taken = new Map<number, string>(containers.map((c) => [c.port, `container "${c.name}"`]));
    const out: ConfigProblem[] = [];
    for (const p of poolers.filter((x) => !x.external && !x.cnpg)) {
        const subject = p.kind === "cluster" ? clusterSubject(p.name) : `container "${p.name}"`;
        const other = taken.get(p.port);
        if (other !== undefined) {
            out.push({ subject, field: "pooler.port", problem: `is ${p.port}, which ${other} already uses`, fix: `set pooler.port of ${subject} to a free port` });
            continue;
        }
        taken.set(p.port, `the pooler of ${subject}`);
    }
    return out;
}
