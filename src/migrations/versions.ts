/**
 * Migration versions in Flyway's syntax: whole numbers separated by dots or underscores
 * (`V1`, `V001`, `V1.1`, `V1_2`, `V2.0.1`), compared part by part numerically, a missing part
 * counting as 0 (so 1.0 is the same version as 1, and 1.10 comes after 1.9). A version is kept as
 * its canonical text: parts without leading zeros, joined by dots (`V001` → "1", `V1_2` → "1.2"),
 * which is what the history table stores; integer versions read the same as they always did.
 */
const SYNTAX = /^\d+(?:[._]\d+)*$/;

export function isVersion(raw: string): boolean {
    return SYNTAX.test(raw);
}

/** Canonical text of a version; throws on anything that is not Flyway version syntax. */
export function canonicalVersion(raw: string): string {
    if (!SYNTAX.test(raw)) throw new Error(`"${raw}" is not a version; use whole numbers separated by dots or underscores, e.g. 3, 1.2 or 2_0_1`);
    return raw.split(/[._]/).map((p) => BigInt(p).toString()).join(".");
}

function parts(v: string): bigint[] {
    return v.split(/[._]/).map((p) => BigInt(p));
}

/** Negative, zero or positive, part by part; `compareVersions("1.0", "1") === 0`. */
export function compareVersions(a: string, b: string): number {
    const pa = parts(a);
    const pb = parts(b);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? 0n;
        const y = pb[i] ?? 0n;
        if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
}

/** One key per version: canonical text without trailing zero parts ("1.0" and "1" → "1"). */
export function versionKey(v: string): string {
    const p = parts(v);
    while (p.length > 1 && p[p.length - 1] === 0n) p.pop();
    return p.join(".");
}

/** The highest of some versions, or undefined when there are none. */
export function maxVersion(vs: Iterable<string>): string | undefined {
    let best: string | undefined;
    for (const v of vs) if (best === undefined || compareVersions(v, best) > 0) best = v;
    return best;
}
