/**
 * The one parser of servicedb's command line, built on Node's `util.parseArgs` and driven by a
 * command's declaration (src/cli/spec.ts): `--flag value` or `--flag=value`, switches, the verb,
 * required options, environment fallbacks and exactly-one-of groups. Every mistake is a
 * UsageError with one line; `commandArgs` turns it into exit 2 with the usage, and `--help`/`-h`
 * into the help with exit 0.
 */
import { parseArgs } from "util";
import { HELP } from "./options";
import { CommandSpec, OptionSpec, SwitchName, UsageError, ValueName, VerbOf } from "./spec";
import { helpText, optionLabel, usageLine } from "./usage";

/** A command line as a command's declaration reads it; names are checked against the declaration. */
export interface Parsed<S extends CommandSpec> {
    /** `--help` or `-h` was given: nothing else was checked. */
    readonly help: boolean;
    /** The verb (`migrate info` → `info`); undefined for a command without verbs, or with --help. */
    readonly verb: VerbOf<S> | undefined;
    /** The value of an option (the last one given), its environment variable's, or undefined. */
    value(name: ValueName<S>): string | undefined;
    /** The value of a required option (the parser refused the line without it). */
    must(name: ValueName<S>): string;
    /** Every value of a repeatable option, in order. */
    values(name: ValueName<S>): readonly string[];
    /** Whether a switch was given. */
    flag(name: SwitchName<S>): boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function declared(spec: CommandSpec, name: string): OptionSpec {
    const o = spec.options.find((x) => x.name === name);
    if (!o) throw new Error(`servicedb ${spec.name} declares no option --${name}`);
    return o;
}

/** `argv` split by util.parseArgs into options (by their long names), positionals and `--`, nothing refused yet. */
function tokensOf(spec: CommandSpec, argv: readonly string[]) {
    const all: readonly OptionSpec[] = [HELP, ...spec.options];
    const options = Object.fromEntries(all.map((o) => [o.name, { type: o.type, multiple: o.multiple === true, ...(o.short ? { short: o.short } : {}) }]));
    return parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

/** Whether `argv` asks for `spec`'s help (`--help` or `-h` anywhere before `--`). */
export function asksForHelp(spec: CommandSpec, argv: readonly string[]): boolean {
    return tokensOf(spec, argv).some((t) => t.kind === "option" && t.name === HELP.name);
}

/** Reads `argv` by `spec`; throws a UsageError on the first mistake. `env` backs options that name a variable. */
export function parseCommand<S extends CommandSpec>(spec: S, argv: readonly string[], env: Env = {}): Parsed<S> {
    if (asksForHelp(spec, argv)) {
        const unread = (name: string): never => { throw new Error(`servicedb ${spec.name}: --${name} was not read, the line asks for help`); };
        return { help: true, verb: undefined, value: () => undefined, must: unread, values: () => [], flag: () => false };
    }
    const values = new Map<string, string[]>();
    const switches = new Set<string>();
    const words: string[] = [];
    for (const t of tokensOf(spec, argv)) {
        if (t.kind === "positional") words.push(t.value);
        if (t.kind !== "option") continue;
        const o = spec.options.find((x) => x.name === t.name);
        if (!o) throw new UsageError(`unknown option ${t.rawName}`);
        if (o.type === "boolean") {
            if (t.value !== undefined) throw new UsageError(`--${o.name} takes no value`);
            switches.add(o.name);
        } else {
            if (t.value === undefined || t.value === "" || (!t.inlineValue && t.value.startsWith("--"))) throw new UsageError(`--${o.name} needs a value`);
            values.set(o.name, [...(o.multiple ? values.get(o.name) ?? [] : []), t.value]);
        }
    }
    const verb = verbOf(spec, words);
    for (const o of spec.options) {
        const fallback = o.env === undefined ? undefined : env[o.env];
        if (!values.has(o.name) && fallback) values.set(o.name, [fallback]);
    }
    const given = (name: string) => values.has(name) || switches.has(name);
    for (const group of spec.oneOf ?? []) {
        if (group.filter(given).length !== 1) throw new UsageError(`give exactly one of ${group.map((n) => optionLabel(declared(spec, n))).join(" or ")}`);
    }
    for (const o of spec.options) {
        if (o.required !== undefined && !given(o.name)) throw new UsageError(`--${o.name} is required (${o.env ? `or set ${o.env}` : o.required})`);
    }
    const known = (name: string) => declared(spec, name).name;
    return {
        help: false,
        verb: verb as VerbOf<S> | undefined,
        value: (name) => values.get(known(name))?.at(-1),
        must: (name) => {
            const v = values.get(known(name))?.at(-1);
            if (v === undefined) throw new Error(`servicedb ${spec.name}: --${name} is not declared required`);
            return v;
        },
        values: (name) => values.get(known(name)) ?? [],
        flag: (name) => switches.has(known(name)),
    };
}

/** The verb among the positional words, for a command that has verbs; any other word is refused. */
function verbOf(spec: CommandSpec, words: readonly string[]): string | undefined {
    const [first, ...rest] = spec.verbs ? words : [undefined, ...words];
    const names = (spec.verbs ?? []).map((v) => v.name);
    if (spec.verbs && first === undefined) throw new UsageError(`no command given; use one of ${names.join(", ")}`);
    if (first !== undefined && !names.includes(first)) throw new UsageError(`unknown command "${first}"; use one of ${names.join(", ")}`);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    return first;
}

/** Where a command's output goes: text on stdout, lines on stderr. */
export interface UsageIo {
    out(text: string): void;
    err(line: string): void;
}

/** A command's arguments, or the exit code when the command line was help or a mistake. */
export type Outcome<T> = { readonly args: T; readonly exit?: undefined } | { readonly exit: number };

/**
 * Parses `argv` for `spec` and builds the command's arguments with `toArgs` (which checks values
 * and throws UsageError). `--help`: the help on stdout, exit 0. A mistake: `servicedb <command>:
 * <what>` and the usage on stderr, exit 2.
 */
export function commandArgs<S extends CommandSpec, T>(spec: S, argv: readonly string[], io: UsageIo, toArgs: (p: Parsed<S>) => T, env: Env = {}): Outcome<T> {
    try {
        const parsed = parseCommand(spec, argv, env);
        if (parsed.help) {
            io.out(helpText(spec));
            return { exit: 0 };
        }
        return { args: toArgs(parsed) };
    } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.err(`servicedb ${spec.name}: ${e.message}`);
        io.err(usageLine(spec));
        return { exit: 2 };
    }
}
