/**
 * `servicedb <command> …`: the one command (package.json "bin", scripts/servicedb.ts). Answers
 * `--help` and `--version` itself, refuses an unknown command with exit 2, answers a command's
 * `--help` without loading it, and otherwise hands the rest of the line to the command's runner,
 * which parses it with the same parser (src/cli/parse.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { COMMANDS, CommandName, commandSpec } from "./commands";
import { UsageIo, asksForHelp } from "./parse";
import { helpText, topHelp } from "./usage";

/** Runs one command on its arguments (after the command's name); resolves to the exit code. */
export type Runner = (argv: readonly string[]) => Promise<number>;

/** Each command's runner, loaded on first use so that a command loads only its own modules. */
export type Runners = Readonly<Record<CommandName, () => Promise<Runner>>>;

/** The version in the package.json nearest above `from` (this package's, from its sources or bin/). */
export function packageVersion(from: string): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) return String((JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown }).version);
        if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
    }
}

const ALL = Object.values(COMMANDS);

export async function servicedb(argv: readonly string[], io: UsageIo, runners: Runners, version: string): Promise<number> {
    const [name, ...rest] = argv;
    if (name === "--help" || name === "-h") {
        io.out(topHelp(ALL));
        return 0;
    }
    if (name === "--version") {
        io.out(version);
        return 0;
    }
    const spec = name === undefined ? undefined : commandSpec(name);
    if (name === undefined || spec === undefined) {
        const what = name === undefined ? "no command given" : name.startsWith("-") ? `unknown option ${name}` : `no such command: ${name}`;
        io.err(`servicedb: ${what}`);
        io.err(topHelp(ALL));
        return 2;
    }
    if (asksForHelp(spec, rest)) {
        io.out(helpText(spec));
        return 0;
    }
    const run = await runners[name as CommandName]();
    return run(rest);
}
