/**
 * Pure validation of a split plan against the monolith's catalog: which service takes which table,
 * and everything that would make the move unsafe. Problems stop every command; warnings are shown.
 */
import { Catalog, Constraint, Table } from "./catalog";
import { ServiceClaim, SplitPlan } from "./planFile";

export interface Finding {
    readonly subject: string;
    readonly problem: string;
    readonly fix: string;
}

export interface ServiceTables {
    readonly service: string;
    readonly claim: ServiceClaim;
    readonly tables: readonly Table[];
}

export interface Assignment {
    readonly services: readonly ServiceTables[];
    /** Crossing foreign keys the plan drops (listed in dropForeignKeys). */
    readonly droppedForeignKeys: readonly Constraint[];
    readonly problems: readonly Finding[];
    readonly warnings: readonly Finding[];
}

export function globToRegExp(glob: string): RegExp {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${body}$`);
}

/** The claims of one service (or of `leave`) that match a table, as written in the plan. */
function matchingClaims(claim: Pick<ServiceClaim, "tables" | "schemas" | "patterns">, t: Table): string[] {
    return [
        ...claim.tables.filter((x) => x === t.name).map((x) => `tables: ${x}`),
        ...claim.schemas.filter((s) => s === t.schema).map((s) => `schemas: ${s}`),
        ...claim.patterns.filter((p) => globToRegExp(p).test(t.name)).map((p) => `patterns: ${p}`),
    ];
}

export function fkId(c: Constraint): string {
    return `${c.table}.${c.name}`;
}

export function assignTables(plan: SplitPlan, catalog: Catalog, stackServices: readonly string[]): Assignment {
    const problems: Finding[] = [];
    const warnings: Finding[] = [];
    const owner = new Map<string, string>();
    const contested = new Set<string>();
    const leave = { tables: [], schemas: [], patterns: plan.leave };
    for (const c of plan.services) {
        if (!stackServices.includes(c.service)) {
            problems.push({ subject: `service "${c.service}"`, problem: "is in the plan but not in the stack's outputs", fix: `add it to servicedb:services of the stack and deploy, or fix the name (the stack has: ${stackServices.join(", ")})` });
        }
        const unmatched = [
            ...c.tables.filter((x) => !catalog.tables.some((t) => t.name === x)),
            ...c.schemas.filter((x) => !catalog.tables.some((t) => t.schema === x)).map((x) => `schema ${x}`),
            ...c.patterns.filter((x) => !catalog.tables.some((t) => globToRegExp(x).test(t.name))),
        ];
        for (const x of unmatched) {
            problems.push({ subject: `service "${c.service}"`, problem: `claims ${x}, which matches no table of the source`, fix: "fix the name (schema.table), or remove it from the plan" });
        }
    }
    for (const t of catalog.tables) {
        const claimers = plan.services.map((c) => ({ service: c.service, by: matchingClaims(c, t) })).filter((x) => x.by.length);
        const left = matchingClaims(leave, t).length > 0;
        if (claimers.length > 1) {
            problems.push({ subject: `table ${t.name}`, problem: `is claimed by ${claimers.length} services: ${claimers.map((x) => `${x.service} (${x.by.join(", ")})`).join(" and ")}`, fix: "every table moves to exactly one service; remove it from all but one" });
        } else if (claimers.length === 1 && left) {
            problems.push({ subject: `table ${t.name}`, problem: `is claimed by ${claimers[0].service} and also listed under leave`, fix: "either move it or leave it behind, not both" });
        } else if (claimers.length === 0 && !left) {
            problems.push({ subject: `table ${t.name}`, problem: "is claimed by no service", fix: "add it to one service's tables, or to leave: if it stays in the monolith" });
        }
        if (claimers.length === 1) owner.set(t.name, claimers[0].service);
        if (claimers.length > 1) contested.add(t.name);
    }
    const dropped = checkForeignKeys(plan, catalog, owner, contested, problems);
    checkSequences(catalog, owner, problems);
    for (const t of catalog.tables) {
        const svc = owner.get(t.name);
        for (const col of t.columns.filter((c) => c.userType && svc)) {
            problems.push({ subject: `table ${t.name}`, problem: `column ${col.name} has type ${col.type}, which the copy does not create`, fix: `create the type in migrations/${svc}/ and set services.${svc}.schemaFrom: migrations` });
        }
    }
    for (const d of catalog.dependents) {
        const moved = d.dependsOn.filter((t) => owner.has(t));
        if (moved.length) {
            warnings.push({ subject: `${d.kind} ${d.name}`, problem: `depends on moved table${moved.length > 1 ? "s" : ""} ${moved.map((t) => `${t} (${owner.get(t)})`).join(", ")} and is not copied`, fix: "recreate it in the owning service's migrations, or drop it from the monolith after the cutover" });
        }
    }
    const services = plan.services.map((c) => ({ service: c.service, claim: c, tables: catalog.tables.filter((t) => owner.get(t.name) === c.service) }));
    return { services, droppedForeignKeys: dropped, problems, warnings };
}

function checkForeignKeys(plan: SplitPlan, catalog: Catalog, owner: Map<string, string>, contested: Set<string>, problems: Finding[]): Constraint[] {
    const dropped: Constraint[] = [];
    const crossing = new Set<string>();
    for (const fk of catalog.constraints.filter((c) => c.kind === "f")) {
        if (contested.has(fk.table) || (fk.references !== undefined && contested.has(fk.references))) continue; // reported as claimed twice
        const from = owner.get(fk.table);
        const to = fk.references ? owner.get(fk.references) : undefined;
        if (from === to || (from === undefined && to === undefined)) continue;
        crossing.add(fkId(fk));
        if (plan.dropForeignKeys.includes(fkId(fk))) {
            dropped.push(fk);
            continue;
        }
        const side = (svc: string | undefined) => (svc ? `service ${svc}` : "the monolith (left behind)");
        problems.push({
            subject: `foreign key ${fkId(fk)}`,
            problem: `${fk.definition} links ${fk.table} (${side(from)}) to ${fk.references} (${side(to)}); no database can enforce it after the split`,
            fix: `drop it or replace it by an ID reference (keep the column, check it in the service), and confirm by adding "${fkId(fk)}" to dropForeignKeys`,
        });
    }
    for (const id of plan.dropForeignKeys.filter((x) => !crossing.has(x))) {
        problems.push({ subject: `dropForeignKeys entry ${id}`, problem: "is not a foreign key that crosses two services", fix: "remove it, or fix the name (schema.table.constraint, as plan reports it)" });
    }
    return dropped;
}

function checkSequences(catalog: Catalog, owner: Map<string, string>, problems: Finding[]): void {
    for (const s of catalog.sequences) {
        const users = [...new Set(s.usedBy.map((t) => owner.get(t)).filter((x): x is string => x !== undefined))];
        if (users.length > 1) {
            problems.push({ subject: `sequence ${s.name}`, problem: `feeds the defaults of tables of ${users.join(" and ")} (${s.usedBy.join(", ")})`, fix: "give each service's table its own sequence (or identity column) before the split" });
        }
    }
}
