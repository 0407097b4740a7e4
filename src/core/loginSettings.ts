/**
 * The LoginSettings resource (`servicedb:core: resources`; components/loginSettings.ts):
 * the guardrails the postgresql provider's Role has no field for (`lock_timeout`, `work_mem`,
 * `temp_file_limit`), set on both logins, read back on refresh. The Role sets the others
 * (`statement_timeout`, `idle_in_transaction_session_timeout`, `search_path`) itself: a parameter
 * set here that the Role also reads would be reset by the Role's next update.
 */
import { describeParameters, parameterStatements, parseSetconfig } from "../guards";
import { MISSING } from "./facts";
import type { CoreServer } from "./inputs";
import { inTransaction, withAdmin, withServerSlot } from "./session";

export interface LoginSettingsInputs extends CoreServer {
    readonly logins: string[];
    /** The declared values of `managed` (a managed parameter not listed is reset). */
    readonly parameters: Record<string, string>;
    readonly managed: string[];
    /** Facts: each login's managed parameters as declared (check) or as the server has them (refresh). */
    readonly loginSettings?: Record<string, string>;
}

export function checkLoginSettings(news: LoginSettingsInputs): { inputs: LoginSettingsInputs } {
    return { inputs: { ...news, loginSettings: Object.fromEntries(news.logins.map((l) => [l, describeParameters(news.parameters, news.managed)])) } };
}

export function diffLoginSettings(olds: LoginSettingsInputs, news: LoginSettingsInputs): { changes: boolean; replaces: string[] } {
    const keys = ["host", "port", "logins", "parameters", "managed", "loginSettings"] as const;
    const changed = keys.filter((k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null));
    return { changes: changed.length > 0, replaces: changed.filter((k) => k === "host" || k === "port") };
}

async function apply(i: LoginSettingsInputs, parameters: Readonly<Record<string, string>>): Promise<void> {
    await withServerSlot(i, () => withAdmin(i, i.maintenanceDatabase, async (c) => {
        const found = await c.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY($1)", [i.logins]);
        const present = found.rows.map((r) => r.rolname);
        await inTransaction(c, present.flatMap((l) => parameterStatements(l, parameters, i.managed)));
    }));
}

function failure(i: LoginSettingsInputs, e: unknown): Error {
    return new Error(`servicedb: settings of ${i.logins.join(", ")} on ${i.host}:${i.port}: ${e instanceof Error ? e.message : String(e)}`);
}

export async function createLoginSettings(i: LoginSettingsInputs): Promise<LoginSettingsInputs> {
    await apply(i, i.parameters).catch((e: unknown) => { throw failure(i, e); });
    return checkLoginSettings(i).inputs;
}

export async function updateLoginSettings(_olds: LoginSettingsInputs, news: LoginSettingsInputs): Promise<LoginSettingsInputs> {
    return createLoginSettings(news);
}

/** Resets the parameters (the logins may already be gone with their service). */
export async function deleteLoginSettings(props: LoginSettingsInputs): Promise<void> {
    await apply(props, {}).catch((e: unknown) => { throw failure(props, e); });
}

export async function readLoginSettings(id: string, props: LoginSettingsInputs): Promise<{ id: string; props: LoginSettingsInputs; inputs: LoginSettingsInputs }> {
    let rows;
    try {
        rows = await withServerSlot(props, () => withAdmin(props, props.maintenanceDatabase, (c) => c.query<{ rolname: string; setconfig: string[] | null }>(
            `SELECT r.rolname, (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setrole = r.oid AND s.setdatabase = 0) AS setconfig
               FROM pg_roles r WHERE r.rolname = ANY($1)`, [props.logins])));
    } catch (e) {
        throw failure(props, e);
    }
    const byLogin = new Map(rows.rows.map((r) => [r.rolname, r.setconfig]));
    const outs = {
        ...props,
        loginSettings: Object.fromEntries(props.logins.map((l) => [l, byLogin.has(l) ? describeParameters(parseSetconfig(byLogin.get(l) ?? null), props.managed) : MISSING])),
    };
    return { id, props: outs, inputs: outs };
}
