/**
 * The pooler part of the offline plan (`npm run plan`): per pooled server, where clients connect,
 * the mode, each service's pool, the server connections all pools may open against the services'
 * share of the budget, and the client-side capacity.
 */
import { poolerCapacity } from "./budget";
import { PoolerSpec } from "./spec";

function where(p: PoolerSpec): string {
    if (p.cnpg) return `${p.host}:${p.port} (CloudNativePG Pooler \`${p.name}-pooler-rw\`)`;
    if (p.external) return `${p.host}:${p.port} (external: files in the \`poolerFiles\` output)`;
    return `${p.host}:${p.port} (container \`${p.name}-pooler\`, ${p.image}${p.network === "host" ? ", host network" : ""})`;
}

/** Markdown lines (empty when no server has a pooler). */
export function poolerTable(poolers: readonly PoolerSpec[]): string[] {
    if (poolers.length === 0) return [];
    const rows = poolers.map((p) => {
        const cap = poolerCapacity(p);
        const pools = p.pools.map((x) => `${x.service} ${x.poolSize}${x.poolSize < x.connectionLimit ? ` (of ${x.connectionLimit})` : ""}`).join(", ") || "—";
        const ratio = cap.serverConnections ? ` (${cap.ratio} per server connection)` : "";
        return `| ${p.kind} \`${p.name}\` | ${where(p)} | ${p.mode} | ${pools} | ${cap.serverConnections} of the services' ${cap.budget} | ${cap.clientConnections}${ratio} |`;
    });
    return [
        "",
        "| pooler | clients connect to | mode | pools (server connections) | server connections | client connections (max_client_conn) |",
        "|---|---|---|---|---:|---:|",
        ...rows,
    ];
}
