/**
 * What a servicedb command line is made of, declared as data: options (name, value, meaning,
 * required or repeatable, an environment variable that stands in) and commands (their verbs,
 * options and examples). src/cli/commands.ts holds the one table; the parser (src/cli/parse.ts),
 * the usage and help (src/cli/usage.ts) and docs/commands.md (src/cli/reference.ts) derive from it.
 */

export interface OptionSpec {
    /** The long name without its dashes: `stack` is `--stack`. */
    readonly name: string;
    /** `string` takes a value (`--stack dev` or `--stack=dev`); `boolean` is a switch. */
    readonly type: "string" | "boolean";
    /** The value's placeholder in usage and help, e.g. `<name>`. */
    readonly value?: string;
    /** A one-letter alias, without its dash. */
    readonly short?: string;
    /** What it means, one line. */
    readonly description: string;
    /** Set when the command cannot run without it: what it names, as the error says it ("the service to back up"). */
    readonly required?: string;
    /** May be given more than once; every value is kept. Otherwise the last one given counts. */
    readonly multiple?: boolean;
    /** An environment variable read when the option is not given. */
    readonly env?: string;
    /** The value used when it is not given, as help shows it. */
    readonly default?: string;
}

export interface VerbSpec {
    readonly name: string;
    readonly description: string;
}

export interface CommandSpec {
    /** `servicedb <name>`. */
    readonly name: string;
    /** One line for `servicedb --help`. */
    readonly summary: string;
    /** The task a reader comes with; the command's heading in docs/commands.md. */
    readonly task: string;
    /** The first positional word, one of these, required: `migrate info`, `split copy`. */
    readonly verbs?: readonly VerbSpec[];
    readonly options: readonly OptionSpec[];
    /** Groups of options of which exactly one must be given (`--stack` or `--outputs`). */
    readonly oneOf?: readonly (readonly string[])[];
    /** What the exit codes mean, one sentence. */
    readonly exits: string;
    /** Command lines shown in help and docs. */
    readonly examples: readonly string[];
}

/** Keeps an option's literal name and type, so that the parsed result is typed by them. */
export function option<const O extends OptionSpec>(o: O): O {
    return o;
}

/** Keeps a command's literal option names and verbs (see `option`). */
export function command<const S extends CommandSpec>(s: S): S {
    return s;
}

type OptionOf<S extends CommandSpec> = S["options"][number];
/** The names of `S`'s options that take a value. */
export type ValueName<S extends CommandSpec> = Extract<OptionOf<S>, { readonly type: "string" }>["name"];
/** The names of `S`'s switches. */
export type SwitchName<S extends CommandSpec> = Extract<OptionOf<S>, { readonly type: "boolean" }>["name"];
/** `S`'s verbs, or `never` when it has none. */
export type VerbOf<S extends CommandSpec> = S["verbs"] extends readonly (infer V extends VerbSpec)[] ? V["name"] : never;

/** A wrong command line: exits 2 with this one line and the usage. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}
