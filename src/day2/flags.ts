/**
 * The command-line conventions of the day-2 commands (backup, restore, status): `--flag value`
 * or `--flag=value`, switches without a value, and usage errors that exit 2.
 */

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface FlagSpec {
    /** Flags that take a value, without the leading dashes. */
    readonly values: readonly string[];
    /** Flags that take none. */
    readonly switches: readonly string[];
}

export interface Flags {
    readonly values: ReadonlyMap<string, string>;
    readonly switches: ReadonlySet<string>;
}

export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
    const values = new Map<string, string>();
    const switches = new Set<string>();
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith("--")) throw new UsageError(`unexpected argument "${a}"`);
        const [name, inline] = a.slice(2).split(/=(.*)/s);
        if (spec.switches.includes(name)) {
            if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
            switches.add(name);
        } else if (spec.values.includes(name)) {
            const v = inline ?? argv[++i];
            if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`--${name} needs a value`);
            values.set(name, v);
        } else {
            throw new UsageError(`unknown option --${name}`);
        }
    }
    return { values, switches };
}

/** A positive number of seconds, as given to `--interval`. */
export function positiveSeconds(flag: string, raw: string | undefined, fallback: number): number {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`--${flag} takes a number of seconds > 0, not "${raw}"`);
    return n;
}

/** Exactly one of `--outputs <file>` and `--stack <name>`: where the stack's outputs come from. */
export function outputsSource(flags: Flags): { outputs?: string; stack?: string } {
    const outputs = flags.values.get("outputs");
    const stack = flags.values.get("stack");
    if (!outputs === !stack) throw new UsageError("give exactly one of --stack <name> or --outputs <file>");
    return { outputs, stack };
}
