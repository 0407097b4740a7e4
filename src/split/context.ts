/**
 * Everything a split command starts from: the plan file, the source URL (from where the plan
 * says), the stack's service connections, the monolith's catalog, and the checked assignment,
 * including the targets' side (tables that already hold data).
 */
import * as fs from "fs";
import { Client } from "pg";
import { withConnection } from "../connect";
import { OutputsError, ServiceUnderTest } from "../verify/outputs";
import { loadServices as loadStackServices } from "../stackOutputs";
import { Assignment, Finding, ServiceTables, assignTables } from "./assign";
import { Catalog } from "./catalog";
import { readCatalog } from "./catalogRead";
import { qualified } from "./ddl";
import { SplitPlan, parsePlan, sourceUrl } from "./planFile";
import { SplitState, StateRow } from "./state";

export interface Targets { readonly outputs?: string; readonly stack?: string }

export interface SplitContext {
    readonly plan: SplitPlan;
    readonly sourceUrl: string;
    readonly services: readonly ServiceUnderTest[];
    readonly catalog: Catalog;
    readonly assignment: Assignment;
}

/** The stack's outputs, from a file or (with the Pulumi CLI) from the stack itself, as `verify` reads them. */
export const loadServices = (t: Targets): Promise<ServiceUnderTest[]> => loadStackServices(t);

export function loadPlan(file: string): SplitPlan {
    if (!fs.existsSync(file)) throw new OutputsError(`plan ${file} does not exist; write one (see split/monolith.yaml)`);
    return parsePlan(fs.readFileSync(file, "utf8"), file);
}

export async function loadContext(planFile: string, targets: Targets, env: NodeJS.ProcessEnv = process.env): Promise<SplitContext> {
    const plan = loadPlan(planFile);
    const url = sourceUrl(plan, env, (p) => fs.readFileSync(p, "utf8"));
    const services = await loadServices(targets);
    const catalog = await withConnection({ connectionString: url }, readCatalog);
    const assignment = assignTables(plan, catalog, services.map((s) => s.service));
    return { plan, sourceUrl: url, services, catalog, assignment };
}

export function serviceConnection(ctx: SplitContext, service: string): ServiceUnderTest {
    const s = ctx.services.find((x) => x.service === service);
    if (!s) throw new OutputsError(`the stack's outputs have no service "${service}"`);
    return s;
}

export function stateFor(client: Client, svc: ServiceUnderTest, plan: SplitPlan): SplitState {
    return new SplitState(client, svc.schemas[0] ?? "public", plan.name);
}

/** Target tables that already hold rows the split did not put there. */
export async function targetFindings(target: Client, st: ServiceTables, state: ReadonlyMap<string, StateRow>): Promise<Finding[]> {
    const found: Finding[] = [];
    for (const t of st.tables) {
        if (state.get(`table:${t.name}`)?.state === "done") continue;
        const q = (s: string) => target.escapeIdentifier(s);
        const exists = await target.query<{ r: string | null }>("SELECT to_regclass($1) AS r", [qualified(t.name, q)]);
        if (exists.rows[0].r === null) continue;
        const n = await target.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM ${qualified(t.name, q)} LIMIT 1000001) x`);
        const rows = Number(n.rows[0].n);
        if (rows > 0) {
            found.push({
                subject: `target table ${t.name} (service ${st.service})`,
                problem: `already holds ${rows > 1_000_000 ? "over 1,000,000" : rows.toLocaleString("en")} rows that this split did not copy`,
                fix: `empty it (TRUNCATE ${t.name}) if those rows are disposable, or take the table out of services.${st.service}`,
            });
        }
    }
    return found;
}
