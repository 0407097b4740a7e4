/**
 * The split plan (`split/<name>.yaml`): where the monolith is (an environment variable or a secret
 * file, never the URL itself) and which tables each service takes. Parsed into plain values; every
 * shape problem is collected with the field and the fix, nothing is thrown half-way.
 */
import { parse } from "yaml";
import { FieldReader, isObject } from "../fields";
import { ConfigProblem } from "../problems";

export const PLAN_FIELDS = ["source", "services", "leave", "dropForeignKeys"] as const;
export const SOURCE_FIELDS = ["urlEnv", "urlFile"] as const;
export const CLAIM_FIELDS = ["tables", "schemas", "patterns", "schemaFrom"] as const;
export const SCHEMA_FROM = ["auto", "source", "migrations"] as const;
export type SchemaFrom = (typeof SCHEMA_FROM)[number];

export type SourceRef = { readonly urlEnv: string } | { readonly urlFile: string };

/** What one service takes from the monolith. Table names are `schema.table` (default `public`). */
export interface ServiceClaim {
    readonly service: string;
    readonly tables: readonly string[];
    readonly schemas: readonly string[];
    /** Globs (`*`, `?`) over `schema.table`. */
    readonly patterns: readonly string[];
    /** DDL from the source catalog, or from `migrations/<service>/`; `auto`: migrations when the folder exists. */
    readonly schemaFrom: SchemaFrom;
}

export interface SplitPlan {
    readonly name: string;
    readonly source: SourceRef;
    readonly services: readonly ServiceClaim[];
    /** Tables (or globs) that stay in the monolith. */
    readonly leave: readonly string[];
    /** Crossing foreign keys the team has decided to drop: `schema.table.constraint`. */
    readonly dropForeignKeys: readonly string[];
}

export class PlanError extends Error {
    constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
        super(`${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.subject}, field "${p.field}": ${p.problem}. Fix: ${p.fix}.`).join("\n")}`);
        this.name = "PlanError";
    }
}

/** `samples` → `public.samples`; `audit.events` stays. */
export function qualify(name: string): string {
    return name.includes(".") ? name : `public.${name}`;
}

function readSource(raw: unknown, file: string, problems: ConfigProblem[]): SourceRef {
    const subject = `${file} source`;
    if (!isObject(raw)) {
        problems.push({ subject, field: "source", problem: "is missing", fix: "add source: { urlEnv: MONOLITH_DATABASE_URL } (the URL itself never goes into the file)" });
        return { urlEnv: "" };
    }
    const r = new FieldReader(raw, subject, "source", problems);
    r.rejectUnknown([...SOURCE_FIELDS, "url"]); // url: refused below, with its own reason
    if ("url" in raw) problems.push({ subject, field: "url", problem: "holds a URL, and with it a password, in the repository", fix: "remove it; set source.urlEnv to the name of an environment variable (or source.urlFile to a secret file) that holds the URL" });
    const env = r.optionalString("urlEnv");
    const file_ = r.optionalString("urlFile");
    if ((env === undefined) === (file_ === undefined)) {
        problems.push({ subject, field: "urlEnv", problem: "exactly one of urlEnv or urlFile must be set", fix: "set source.urlEnv: <VARIABLE> or source.urlFile: /run/secrets/<name>" });
    } else if (env !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(env)) {
        problems.push({ subject, field: "urlEnv", problem: `"${env}" is not an environment variable name`, fix: "use upper case letters, digits and _, e.g. MONOLITH_DATABASE_URL" });
    }
    return env !== undefined ? { urlEnv: env } : { urlFile: file_ ?? "" };
}

function readClaim(service: string, raw: unknown, file: string, problems: ConfigProblem[]): ServiceClaim {
    const subject = `${file} service "${service}"`;
    const obj = isObject(raw) ? raw : {};
    if (!isObject(raw)) problems.push({ subject, field: "(settings)", problem: `must be a map, got ${JSON.stringify(raw)}`, fix: `give services.${service} tables, schemas or patterns` });
    const r = new FieldReader(obj, subject, `services.${service}`, problems);
    r.rejectUnknown(CLAIM_FIELDS);
    const claim: ServiceClaim = {
        service,
        tables: r.stringList("tables", []).map(qualify),
        schemas: r.stringList("schemas", []),
        patterns: r.stringList("patterns", []).map(qualify),
        schemaFrom: r.oneOf("schemaFrom", SCHEMA_FROM, "auto"),
    };
    if (isObject(raw) && !claim.tables.length && !claim.schemas.length && !claim.patterns.length) {
        problems.push({ subject, field: "tables", problem: "claims no table", fix: `list its tables (services.${service}.tables), schemas or patterns, or remove the service from the plan` });
    }
    return claim;
}

export function parsePlan(text: string, file: string): SplitPlan {
    const problems: ConfigProblem[] = [];
    let doc: unknown;
    try {
        doc = parse(text);
    } catch (e) {
        throw new PlanError(file, [{ subject: file, field: "(file)", problem: `is not YAML (${(e as Error).message.split("\n")[0]})`, fix: "fix the YAML syntax" }]);
    }
    const obj = isObject(doc) ? doc : {};
    const r = new FieldReader(obj, file, "", problems, "");
    r.rejectUnknown(PLAN_FIELDS);
    const source = readSource(obj.source, file, problems);
    const rawServices = isObject(obj.services) ? Object.entries(obj.services) : [];
    if (!rawServices.length) problems.push({ subject: file, field: "services", problem: "lists no service", fix: "add services: { <service>: { tables: [...] } } for each service of the stack" });
    const services = rawServices.map(([name, v]) => readClaim(name, v, file, problems));
    const leave = r.stringList("leave", []).map(qualify);
    const dropForeignKeys = r.stringList("dropForeignKeys", []);
    for (const fk of dropForeignKeys) {
        if (fk.split(".").length !== 3) problems.push({ subject: file, field: "dropForeignKeys", problem: `"${fk}" is not schema.table.constraint`, fix: "write it as the plan command reports it, e.g. public.predictions.predictions_sample_id_fkey" });
    }
    if (problems.length) throw new PlanError(file, problems);
    const name = file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    return { name, source, services, leave, dropForeignKeys };
}

/** Reads the monolith's URL from where the plan says; the URL is never printed. */
export function sourceUrl(plan: SplitPlan, env: NodeJS.ProcessEnv, readFile: (p: string) => string): string {
    if ("urlEnv" in plan.source) {
        const v = env[plan.source.urlEnv];
        if (!v) throw new Error(`the plan reads the source URL from $${plan.source.urlEnv}, which is not set; export it (e.g. from your secret store) and run again`);
        return v.trim();
    }
    try {
        return readFile(plan.source.urlFile).trim();
    } catch (e) {
        throw new Error(`cannot read the source URL from ${plan.source.urlFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); point source.urlFile at the secret file`);
    }
}
