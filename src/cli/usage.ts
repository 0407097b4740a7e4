/**
 * Usage lines and help texts, derived from the command table (src/cli/commands.ts): what
 * `servicedb --help`, `servicedb <command> --help` and a usage error print.
 */
import { HELP } from "./options";
import { CommandSpec, OptionSpec } from "./spec";

/** `--name <value>`, or `-h, --help` for an option with a short alias. */
export function optionLabel(o: OptionSpec): string {
    const long = o.type === "string" && o.value ? `--${o.name} ${o.value}` : `--${o.name}`;
    return o.short ? `-${o.short}, ${long}` : long;
}

/** The group of `name` among the command's exactly-one-of groups, if any. */
function groupOf(spec: CommandSpec, name: string): readonly string[] | undefined {
    return spec.oneOf?.find((g) => g.includes(name));
}

/** What help and docs add to an option's description: required, one of a group, default, variable, repeatable. */
export function optionNotes(spec: CommandSpec, o: OptionSpec): string[] {
    const group = groupOf(spec, o.name);
    return [
        ...(o.required !== undefined ? ["required"] : []),
        ...(group ? [`exactly one of ${group.map((n) => `--${n}`).join(", ")}`] : []),
        ...(o.env ? [`default: $${o.env}`] : []),
        ...(o.default !== undefined ? [`default: ${o.default}`] : []),
        ...(o.multiple ? ["repeatable"] : []),
    ];
}

/** One option as the usage line shows it: required bare, optional in brackets, repeatable with `...`. */
function usagePart(o: OptionSpec): string {
    const label = optionLabel(o) + (o.multiple ? " ..." : "");
    return o.required !== undefined ? label : `[${label}]`;
}

/** `servicedb <command> [verb] …` with every option; exactly-one-of groups as `(--a | --b)`. */
export function usageBody(spec: CommandSpec): string {
    const parts = spec.verbs ? [`<${spec.verbs.map((v) => v.name).join("|")}>`] : [];
    const done = new Set<readonly string[]>();
    for (const o of spec.options) {
        const group = groupOf(spec, o.name);
        if (!group) parts.push(usagePart(o));
        else if (!done.has(group)) {
            done.add(group);
            const members = group.map((n) => spec.options.find((x) => x.name === n)).filter((x): x is OptionSpec => x !== undefined);
            parts.push(`(${members.map(optionLabel).join(" | ")})`);
        }
    }
    return [`servicedb ${spec.name}`, ...parts].join(" ");
}

/** The one line a usage error ends with. */
export function usageLine(spec: CommandSpec): string {
    return `usage: ${usageBody(spec)}`;
}

/** Two columns: labels padded to the longest. */
function columns(rows: readonly (readonly [string, string])[]): string[] {
    const width = Math.max(...rows.map(([l]) => l.length));
    return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`);
}

/** `servicedb <command> --help`. */
export function helpText(spec: CommandSpec): string {
    const options = [...spec.options, HELP].map((o) => {
        const notes = optionNotes(spec, o);
        return [optionLabel(o), notes.length ? `${o.description} (${notes.join("; ")})` : o.description] as const;
    });
    return [
        usageLine(spec),
        "",
        `${spec.summary}.`,
        ...(spec.verbs ? ["", "commands:", ...columns(spec.verbs.map((v) => [v.name, v.description] as const))] : []),
        "",
        "options:",
        ...columns(options),
        "",
        `exit: ${spec.exits}`,
        "",
        "examples:",
        ...spec.examples.map((e) => `  ${e}`),
    ].join("\n");
}

/** `--version` at the top level: the package's version. */
export const VERSION_OPTION: OptionSpec = { name: "version", type: "boolean", description: "print servicedb's version, then exit 0" };

/** `servicedb --help`, and what a missing or unknown command prints under its error. */
export function topHelp(commands: readonly CommandSpec[]): string {
    return [
        "usage: servicedb <command> [options]",
        "       (in this repository: npm run <command> -- [options])",
        "",
        "commands:",
        ...columns(commands.map((c) => [c.name, c.summary] as const)),
        "",
        "options:",
        ...columns([HELP, VERSION_OPTION].map((o) => [optionLabel(o), o.description] as const)),
        "",
        "servicedb <command> --help lists a command's options; docs/commands.md has them all.",
    ].join("\n");
}
