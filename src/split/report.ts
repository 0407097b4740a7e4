/** The `split plan` report: what moves where, what the plan drops, warnings and problems (pure). */
import { Assignment, Finding, fkId } from "./assign";
import { Catalog } from "./catalog";
import { formatBytes } from "./events";

export interface PlanReport {
    readonly services: readonly {
        readonly service: string;
        readonly database: string;
        readonly schemaFrom: "source" | "migrations";
        readonly tables: readonly { readonly name: string; readonly estimatedRows: number; readonly bytes: number }[];
        readonly sequences: readonly { readonly name: string; readonly lastValue: string | null }[];
    }[];
    readonly droppedForeignKeys: readonly { readonly constraint: string; readonly definition: string; readonly from: string; readonly to: string }[];
    readonly warnings: readonly Finding[];
    readonly problems: readonly Finding[];
}

export function planReport(a: Assignment, catalog: Catalog, database: (service: string) => string, schemaFrom: (service: string) => "source" | "migrations", extraProblems: readonly Finding[] = []): PlanReport {
    return {
        services: a.services.map((st) => {
            const mine = new Set(st.tables.map((t) => t.name));
            return {
                service: st.service, database: database(st.service), schemaFrom: schemaFrom(st.service),
                tables: st.tables.map((t) => ({ name: t.name, estimatedRows: t.rowEstimate, bytes: t.bytes })),
                sequences: catalog.sequences.filter((s) => (s.ownedBy && mine.has(s.ownedBy.table)) || s.usedBy.some((u) => mine.has(u)))
                    .map((s) => ({ name: s.name, lastValue: s.lastValue })),
            };
        }),
        droppedForeignKeys: a.droppedForeignKeys.map((c) => ({ constraint: fkId(c), definition: c.definition, from: c.table, to: c.references ?? "" })),
        warnings: a.warnings,
        problems: [...a.problems, ...extraProblems],
    };
}

const finding = (f: Finding) => `  - ${f.subject} ${f.problem}. Fix: ${f.fix}.`;

export function renderPlan(r: PlanReport, title: string): string {
    const lines = [title, ""];
    for (const s of r.services) {
        lines.push(`${s.service} → database ${s.database} (schema from ${s.schemaFrom === "source" ? "the source catalog" : `migrations/${s.service}/`})`);
        for (const t of s.tables) lines.push(`  ${t.name.padEnd(40)} ~${t.estimatedRows.toLocaleString("en")} rows  ${formatBytes(t.bytes)}`);
        for (const q of s.sequences) lines.push(`  sequence ${q.name} at ${q.lastValue ?? "(never used)"}`);
    }
    if (r.droppedForeignKeys.length) {
        lines.push("", "foreign keys the plan drops (each column stays, as an ID reference the service checks):");
        for (const f of r.droppedForeignKeys) lines.push(`  ${f.constraint}: ${f.definition} (${f.from} → ${f.to})`);
    }
    if (r.warnings.length) lines.push("", "warnings:", ...r.warnings.map(finding));
    lines.push("", r.problems.length ? `${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}; nothing was moved:` : "no problems: ready to copy");
    lines.push(...r.problems.map(finding));
    return lines.join("\n");
}
