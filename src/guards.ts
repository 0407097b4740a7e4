/**
 * A service's guardrails (src/settings/guards.ts) as the server stores them: role-level
 * parameters of both logins (`pg_db_role_setting`, database 0), in PostgreSQL's base units. Both
 * cores set exactly these, verify and the ServiceCore's refresh read them back. Pure.
 */
import { escapeIdentifier } from "pg";
import type { GuardValues } from "./settings/service";

/** Each guardrail and the parameter it sets. */
export const PARAMETERS = {
    statementTimeout: "statement_timeout",
    lockTimeout: "lock_timeout",
    idleInTransactionSessionTimeout: "idle_in_transaction_session_timeout",
    workMem: "work_mem",
    tempFileLimit: "temp_file_limit",
    searchPath: "search_path",
} as const satisfies Record<keyof GuardValues, string>;

/** Every parameter a guardrail sets. */
export const GUARD_PARAMETERS: readonly string[] = Object.values(PARAMETERS);

/** `temp_file_limit` is a superuser parameter: a managed server's admin can neither set nor reset it. */
const SUPERUSER_ONLY: readonly string[] = [PARAMETERS.tempFileLimit];

/** The parameters servicedb manages on a server (set when declared, reset when not). */
export function managedParameters(superuserAdmin: boolean): string[] {
    return GUARD_PARAMETERS.filter((p) => superuserAdmin || !SUPERUSER_ONLY.includes(p)).sort();
}

/** The parameters the chain's LoginSettings manages: those the postgresql provider's Role has no field for. */
export function loginSettingsParameters(superuserAdmin: boolean): string[] {
    const byRole: readonly string[] = [PARAMETERS.statementTimeout, PARAMETERS.idleInTransactionSessionTimeout, PARAMETERS.searchPath];
    return managedParameters(superuserAdmin).filter((p) => !byRole.includes(p));
}

/** The declared values of those parameters: empty when the chain declares no LoginSettings. */
export function loginSettingsValues(g: GuardValues, superuserAdmin: boolean): Record<string, string> {
    const managed = loginSettingsParameters(superuserAdmin);
    return Object.fromEntries(Object.entries(roleParameters(g)).filter(([k]) => managed.includes(k)));
}

/** `search_path` as PostgreSQL stores it: identifiers quoted where needed, joined by ", ". */
export function searchPathValue(schemas: readonly string[]): string {
    return schemas.map((s) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : escapeIdentifier(s))).join(", ");
}

/** The declared parameters and their stored values (`{ statement_timeout: "60000", … }`), sorted by name. */
export function roleParameters(g: GuardValues): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, param] of Object.entries(PARAMETERS) as [keyof GuardValues, string][]) {
        const v = g[key];
        if (v === undefined) continue;
        out[param] = typeof v === "number" ? String(v) : searchPathValue(v as readonly string[]);
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** One login's managed parameters as a line: `lock_timeout=10000, statement_timeout=60000` or `none`. */
export function describeParameters(values: Readonly<Record<string, string>>, managed: readonly string[]): string {
    const parts = Object.entries(values).filter(([k]) => managed.includes(k)).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`);
    return parts.length === 0 ? "none" : parts.join(", ");
}

/** `setconfig` entries (`name=value`) → a map. */
export function parseSetconfig(entries: readonly string[] | null): Record<string, string> {
    return Object.fromEntries((entries ?? []).map((e) => { const i = e.indexOf("="); return [e.slice(0, i), e.slice(i + 1)]; }));
}

/** ALTER ROLE statements that bring `login`'s managed parameters to `declared` (a parameter not declared is reset). */
export function parameterStatements(login: string, declared: Readonly<Record<string, string>>, managed: readonly string[]): string[] {
    const role = escapeIdentifier(login);
    return managed.map((p) => {
        const v = declared[p];
        if (v === undefined) return `ALTER ROLE ${role} RESET ${p}`;
        return `ALTER ROLE ${role} SET ${p} TO ${p === PARAMETERS.searchPath ? v : /^-?\d+$/.test(v) ? v : escapeLiteralValue(v)}`;
    });
}

function escapeLiteralValue(v: string): string {
    return `'${v.replace(/'/g, "''")}'`;
}

/** The guardrails in a few characters: `stmt 60s lock 10s idle 60s mem 4MB` (ms and kB as the server stores them). */
export function guards(settings: Readonly<Record<string, string>> | null): string {
    if (settings === null) return "?";
    const ms = (v: string) => (Number(v) % 60000 === 0 && Number(v) > 0 ? `${Number(v) / 60000}min` : Number(v) % 1000 === 0 ? `${Number(v) / 1000}s` : `${v}ms`);
    const kb = (v: string) => (Number(v) % 1024 === 0 && Number(v) > 0 ? `${Number(v) / 1024}MB` : `${v}kB`);
    const parts = [["statement_timeout", "stmt", ms], ["lock_timeout", "lock", ms], ["idle_in_transaction_session_timeout", "idle", ms], ["work_mem", "mem", kb], ["temp_file_limit", "tmp", kb]] as const;
    const out = parts.filter(([k]) => settings[k] !== undefined).map(([k, label, f]) => `${label} ${f(settings[k])}`);
    return out.length ? out.join(" ") : "none";
}

