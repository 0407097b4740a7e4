/**
 * The offline plan: what a stack declares, from its stack file alone — no credentials, no
 * backend, no Pulumi SDK. Validates the config as `pulumi preview` would (the same
 * `findProblems`), lists the resources from the spec (src/inventory.ts, held equal to the
 * program's registrations by a test) and renders a Markdown table for pull requests, including
 * those from forks.
 */
import { guards, roleParameters } from "./guards";
import { COMPONENT_TYPES, platformInventory } from "./inventory";
import { formatProblem } from "./problems";
import { PlatformSpec } from "./spec";
import { StackConfigFile, stackSpec } from "./stackFile";
import { poolerTable } from "./pooler/planTable";

export interface OfflinePlan {
    readonly ok: boolean;
    readonly markdown: string;
}

const list = (xs: readonly string[]) => (xs.length ? xs.join(", ") : "—");

function placement(spec: PlatformSpec, cluster: string, kind: "cluster" | "container"): string {
    if (kind === "container") {
        const c = spec.containers.find((x) => x.name === cluster);
        return c ? `container \`${c.name}\` (${c.image}, 127.0.0.1:${c.port})` : `container \`${cluster}\``;
    }
    const k = spec.clusters.find((x) => x.name === cluster);
    if (k?.cnpg) return `CloudNativePG cluster \`${k.name}\` (${k.host}:${k.port}, ${k.cnpg.instances} instances)`;
    return k ? `cluster \`${k.name}\` (${k.host}:${k.port})` : `cluster \`${cluster}\``;
}

export function offlinePlan(stack: string, stackConfig?: StackConfigFile): OfflinePlan {
    const head = `### servicedb plan: stack \`${stack}\`\n`;
    const { spec, problems, warnings } = stackSpec(stack, stackConfig);
    if (problems.length) {
        return { ok: false, markdown: `${head}\n**The config has ${problems.length} problem(s); \`pulumi up\` would stop before creating anything:**\n\n${problems.map((p) => `- ${formatProblem(p)}`).join("\n")}\n` };
    }
    const resources = platformInventory(spec, stack);
    const owned = (svc: string) => resources.filter((r) => r.name === svc || r.name.startsWith(`${svc}-`)).filter((r) => !COMPONENT_TYPES.has(r.type)).length;
    const rows = spec.services.map((s) => `| ${s.name} | ${placement(spec, s.cluster, s.placement)} | ${s.database} | ${s.role}${s.readers ? ` (+ ${s.role}_reader)` : ""} | ${s.connectionLimit} | ${list(s.extensions)} | ${list(s.schemas)} | ${list(s.migrations.map((m) => m.script))} | ${guards(roleParameters(s.settings))} | ${list(s.reads.flatMap((r) => r.schemas?.map((x) => `${r.service}.${x}`) ?? [r.service]))} | ${owned(s.name)} |`);
    const budgets = [
        ...spec.clusters.map((c) => ({ name: `cluster \`${c.name}\``, key: c.name, max: c.maxConnections, reserved: c.reservedConnections })),
        ...spec.containers.map((c) => ({ name: `container \`${c.name}\``, key: c.name, max: c.maxConnections, reserved: c.reservedConnections })),
    ].map((b) => {
        const used = spec.services.filter((s) => s.cluster === b.key).reduce((n, s) => n + s.connectionLimit, 0);
        return `| ${b.name} | ${used} + ${b.reserved} reserved = ${used + b.reserved} | ${b.max} |`;
    });
    const markdown = [
        head,
        "| service | placement | database | role | connection limit | extensions | schemas | migrations on disk | guardrails | reads | resources |",
        "|---|---|---|---|---:|---|---|---|---|---|---:|",
        ...rows,
        "",
        "| server | connections used | max_connections |",
        "|---|---|---:|",
        ...budgets,
        ...poolerTable(spec.poolers),
        "",
        `${resources.length} resources in all (components included).`,
        ...(warnings.length ? ["", ...warnings.map((w) => `> warning: ${w}`)] : []),
        "",
    ].join("\n");
    return { ok: true, markdown };
}
