/** What every verify check produces: one outcome per service and check, with a reason. */

export type Outcome = "pass" | "fail" | "skip";

export const CHECKS = ["login", "role", "settings", "public-access", "no-other-db", "no-cross-read", "reads", "password", "pooled-login", "pooled-no-other-db"] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckResult {
    readonly service: string;
    readonly check: CheckName;
    readonly outcome: Outcome;
    readonly reason: string;
}

export const result = (service: string, check: CheckName, outcome: Outcome, reason: string): CheckResult => ({ service, check, outcome, reason });
