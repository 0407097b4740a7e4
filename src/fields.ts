/**
 * Typed readers for one object of raw config. Each reader records a ConfigProblem instead of
 * throwing, so that a whole config is checked in one pass.
 */
import { ConfigProblem } from "./problems";

export type RawObject = Readonly<Record<string, unknown>>;

export function isObject(v: unknown): v is RawObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export class FieldReader {
    constructor(
        private readonly obj: RawObject,
        private readonly subject: string,
        /** Config path prefix used in fixes, e.g. `servicedb:services.k-indexer`. */
        private readonly path: string,
        /** Where problems go; readers of nested settings add theirs here too. */
        readonly problems: ConfigProblem[],
        /** Between `path` and a field: "." inside a map, ":" for a top-level key. */
        private readonly sep = ".",
        /** Prefix of field names in messages, e.g. "container." for a nested map. */
        private readonly prefix = "",
    ) {}

    /** The config path of a field, as fixes spell it (`servicedb:services.orders.settings.workMem`). */
    pathOf(field: string): string {
        return `${this.path}${this.sep}${this.prefix}${field}`;
    }

    /** Records a problem of `field` (named with this reader's prefix). */
    add(field: string, problem: string, fix: string): void {
        this.problems.push({ subject: this.subject, field: `${this.prefix}${field}`, problem, fix });
    }

    /** A reader of `obj`, a map inside this one, whose fields are named `<prefix><field>` in messages. */
    nested(obj: RawObject, prefix: string): FieldReader {
        return new FieldReader(obj, this.subject, this.path, this.problems, ".", prefix);
    }

    /** Reports every key not in `known`, with a suggestion when one is close. */
    rejectUnknown(known: readonly string[]): void {
        for (const key of Object.keys(this.obj)) {
            if (known.includes(key)) continue;
            const close = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
            this.add(
                key,
                "is not a known field",
                close ? `rename it to "${close}"` : `remove it; known fields are ${known.join(", ")}`,
            );
        }
    }

    string(field: string, fallback?: string): string | undefined {
        const v = this.obj[field];
        if (v === undefined || v === null) {
            if (fallback === undefined) this.add(field, "is required", `set ${this.path}${this.sep}${this.prefix}${field}`);
            return fallback;
        }
        if (typeof v !== "string" || v.length === 0) {
            this.add(field, `must be a non-empty string, got ${JSON.stringify(v)}`, `set ${this.path}${this.sep}${this.prefix}${field} to a string`);
            return fallback;
        }
        return v;
    }

    optionalString(field: string): string | undefined {
        return this.obj[field] === undefined ? undefined : this.string(field);
    }

    /** An integer within [min, max]; accepts numeric strings, as `pulumi config set` writes them. */
    integer(field: string, fallback: number, min: number, max: number, fixHint: string): number {
        const v = this.obj[field];
        if (v === undefined || v === null) return fallback;
        const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
            this.add(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`, `set ${this.path}${this.sep}${this.prefix}${field} to ${fixHint}`);
            return fallback;
        }
        return n;
    }

    boolean(field: string, fallback: boolean): boolean {
        const v = this.obj[field];
        if (v === undefined || v === null) return fallback;
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        this.add(field, `must be true or false, got ${JSON.stringify(v)}`, `set ${this.path}${this.sep}${this.prefix}${field} to true or false`);
        return fallback;
    }

    stringList(field: string, fallback: readonly string[]): readonly string[] {
        const v = this.obj[field];
        if (v === undefined || v === null) return fallback;
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x.length === 0)) {
            this.add(field, `must be a list of non-empty strings, got ${JSON.stringify(v)}`, `set ${this.path}${this.sep}${this.prefix}${field} to a YAML list such as [a, b]`);
            return fallback;
        }
        return v as string[];
    }

    oneOf<T extends string>(field: string, allowed: readonly T[], fallback: T): T {
        const v = this.obj[field];
        if (v === undefined || v === null) return fallback;
        if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
            this.add(field, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`, `set ${this.path}${this.sep}${this.prefix}${field} to one of ${allowed.join(", ")}`);
            return fallback;
        }
        return v as T;
    }
}

/** Levenshtein distance, for "did you mean" suggestions on short field names. */
export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}
