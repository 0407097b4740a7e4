/**
 * The generated part of docs/commands.md: a task index, then per command its task, usage,
 * examples, verbs and options, all from the command table (src/cli/commands.ts). `npm run
 * docs:commands` writes it between the two markers; a unit test checks the page matches.
 */
import { HELP } from "./options";
import { CommandSpec } from "./spec";
import { optionLabel, optionNotes, usageBody } from "./usage";

export const BEGIN = "<!-- BEGIN generated from src/cli/commands.ts by `npm run docs:commands`; edit the table, not this part -->";
export const END = "<!-- END generated -->";

/** A table cell: pipes escaped (code spans with `a | b` stay in their cell), `<` outside code spans too (no HTML). */
export function cell(text: string): string {
    return text.split("`").map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;") : part)).join("`").replace(/\|/g, "\\|");
}

/** The anchor GitHub gives a heading. */
export function anchor(heading: string): string {
    return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

const heading = (spec: CommandSpec) => `${spec.task}: \`servicedb ${spec.name}\``;

function section(spec: CommandSpec): string[] {
    const options = [...spec.options, HELP].map((o) => `| ${cell(`\`${optionLabel(o)}\``)} | ${cell(o.description)} | ${cell(optionNotes(spec, o).join("; "))} |`);
    return [
        `## ${heading(spec)}`,
        "",
        `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`,
        "",
        "```sh",
        ...spec.examples,
        "```",
        "",
        ...(spec.verbs ? ["| command | what it does |", "|---|---|", ...spec.verbs.map((v) => `| \`${v.name}\` | ${cell(v.description)} |`), ""] : []),
        `Usage: \`${usageBody(spec)}\``,
        "",
        "| option | meaning | required, default |",
        "|---|---|---|",
        ...options,
        "",
        `Exit ${spec.exits}`,
        "",
    ];
}

/** The generated block, markers included. */
export function referenceMarkdown(commands: readonly CommandSpec[]): string {
    return [
        BEGIN,
        "| to … | run |",
        "|---|---|",
        ...commands.map((c) => `| [${cell(c.task[0].toLowerCase() + c.task.slice(1))}](#${anchor(heading(c))}) | \`servicedb ${c.name}\` |`),
        "",
        ...commands.flatMap(section),
        END,
    ].join("\n");
}

/** `page` with its generated block replaced by `block`; an error when the markers are missing. */
export function withReference(page: string, block: string): string {
    const start = page.indexOf(BEGIN);
    const end = page.indexOf(END);
    if (start < 0 || end < start) throw new Error("docs/commands.md lacks the BEGIN/END markers of its generated part");
    return page.slice(0, start) + block + page.slice(end + END.length);
}
