/**
 * The checks of option values the commands share, each a small pure function that returns the
 * value or throws a UsageError naming the flag (exit 2).
 */
import { UsageError } from "./spec";

/** A whole number ≥ `min` given to `flag`, or an error that says so. */
export function wholeNumber(flag: string, text: string, min: number): number {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < min || !/^\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number ≥ ${min}, got "${text}"`);
    return n;
}

/** A positive number of seconds given to `--<flag>` (`--interval 0.5`), or `fallback` when it was not given. */
export function positiveSeconds(flag: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} takes a number of seconds > 0, not "${raw}"`);
    return n;
}

/** A number ≥ 0 given to `--<flag>`, or `fallback` when it was not given. */
export function nonNegative(flag: string, raw: string | undefined, fallback: number): number {
    const n = raw === undefined ? fallback : Number(raw);
    if (!(n >= 0)) throw new UsageError(`--${flag} takes a number ≥ 0`);
    return n;
}

/** Refuses two options given together (`--clean` and `--force`) with `message`. */
export function notBoth(a: boolean, b: boolean, message: string): void {
    if (a && b) throw new UsageError(message);
}

/** `value` when it is one of `names` (`--stack` of a stack file that exists), else an error listing them. */
export function oneOfNames(flag: string, value: string, names: readonly string[]): string {
    if (!names.includes(value)) throw new UsageError(`--${flag} must name one of: ${names.join(", ")}`);
    return value;
}
