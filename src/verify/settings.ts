/**
 * `settings`: both logins of a service hold exactly the declared guardrails in
 * `pg_db_role_setting` (readable by every role), in PostgreSQL's stored form (src/guards.ts).
 */
import { GUARD_PARAMETERS, PARAMETERS, parseSetconfig } from "../guards";
import { secondLogin } from "../rotation";
import { ServiceUnderTest } from "./outputs";
import { CheckResult, result } from "./results";

/** The service's two logins: the owning role and `<role>_b` (the username when the summary has no role). */
export function loginsOf(s: ServiceUnderTest): string[] {
    const role = s.role ?? s.username.replace(/_b$/, "");
    return [role, secondLogin(role)];
}

export function judgeSettings(s: ServiceUnderTest, found: Readonly<Record<string, string[]>>): CheckResult {
    if (s.settings === undefined) return result(s.service, "settings", "skip", "the stack's summary declares no settings (an older stack)");
    const declared = s.settings;
    const problems = loginsOf(s).flatMap((login) => {
        const has = parseSetconfig(found[login] ?? null);
        return GUARD_PARAMETERS.flatMap((p) => {
            const want = declared[p];
            const got = has[p];
            // temp_file_limit is left alone where undeclared: a managed server's admin cannot manage it.
            if (want === undefined && (got === undefined || p === PARAMETERS.tempFileLimit)) return [];
            if (want === got) return [];
            return [`${login}: ${p} is ${got ?? "not set"}, declared ${want ?? "not set"}`];
        });
    });
    const list = Object.entries(declared).map(([k, v]) => `${k}=${v}`).join(", ") || "none";
    return problems.length ? result(s.service, "settings", "fail", problems.join("; "))
        : result(s.service, "settings", "pass", `both logins: ${list}`);
}
