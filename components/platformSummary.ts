/** The non-secret overview of each service a Platform outputs (`pulumi stack output summary`). */
import { roleParameters } from "../src/guards";
import { readerRole } from "../src/names";
import type { ServiceSpec } from "../src/spec";

/** The non-secret overview of a service, for people and for `pulumi stack output summary`. */
export interface ServiceSummary {
    readonly cluster: string;
    readonly database: string;
    readonly role: string;
    readonly connectionLimit: number;
    /** Schemas owned by the role (checked by `npm run verify`). */
    readonly schemas: readonly string[];
    /** The read-only companion role, when declared. */
    readonly readerRole?: string;
    /** Its logins' guardrails as the server stores them (`{ statement_timeout: "60000" }`), checked by verify. */
    readonly settings: Readonly<Record<string, string>>;
    /** What it reads (`chat`, `users.public`), when it reads anything. */
    readonly reads?: readonly string[];
    /** `<namespace>/<name>` of its Kubernetes Secret, when it has one. */
    readonly secret?: string;
}

export function summaryOf(s: ServiceSpec): ServiceSummary {
    return {
        cluster: s.cluster, database: s.database, role: s.role, connectionLimit: s.connectionLimit, schemas: s.schemas,
        ...(s.readers ? { readerRole: readerRole(s.role) } : {}),
        settings: roleParameters(s.settings),
        ...(s.reads.length > 0 ? { reads: s.reads.flatMap((r) => r.schemas?.map((x) => `${r.service}.${x}`) ?? [r.service]) } : {}),
        ...(s.kubernetes ? { secret: `${s.kubernetes.namespace}/${s.kubernetes.secretName}` } : {}),
    };
}
