/**
 * The command table itself (src/cli/commands.ts), what is derived from it (usage, help, the
 * reference page docs/commands.md), the dispatch of `servicedb <command>` (src/cli/main.ts) with
 * stand-in runners, and each command's arguments as its run function gets them. No subprocess.
 */
import * as fs from "fs";
import * as path from "path";
import { backupArgs, restoreArgs } from "../../src/backup/cli";
import { COMMANDS, CommandName, commandSpec } from "../../src/cli/commands";
import { Runners, packageVersion, servicedb } from "../../src/cli/main";
import { Parsed, parseCommand } from "../../src/cli/parse";
import { anchor, referenceMarkdown, withReference } from "../../src/cli/reference";
import { CommandSpec, OptionSpec } from "../../src/cli/spec";
import { helpText, topHelp, usageLine } from "../../src/cli/usage";
import { migrateArgs } from "../../src/migrations/cli";
import { splitArgs } from "../../src/split/cli";
import { statusArgs } from "../../src/status/cli";
import { verifyArgs } from "../../src/verify/cli";

const ROOT = path.resolve(__dirname, "../..");
const ALL: readonly CommandSpec[] = Object.values(COMMANDS);
const NAMES = ["migrate", "verify", "plan", "status", "backup", "restore", "split", "repair", "policy-config"];

describe("the table", () => {
    test("declares the nine commands, each under its own name", () => {
        expect(Object.keys(COMMANDS).sort()).toEqual([...NAMES].sort());
        for (const [name, spec] of Object.entries(COMMANDS)) expect(spec.name).toBe(name);
        expect(commandSpec("verify")).toBe(COMMANDS.verify);
        expect(commandSpec("toString")).toBeUndefined();
    });

    test("every option: a unique kebab-case name, a description, a placeholder when it takes a value; -h and --help are the parser's", () => {
        for (const spec of ALL) {
            const names = spec.options.map((o) => o.name);
            expect(new Set(names).size).toBe(names.length);
            for (const o of spec.options) {
                expect(o.name).toMatch(/^[a-z][a-z-]*[a-z]$/);
                expect(o.description.length).toBeGreaterThan(5);
                expect(o.type === "string" ? o.value : undefined).toEqual(o.type === "string" ? expect.stringMatching(/^<[a-z-]+>$/) : undefined);
                expect(o.name).not.toBe("help");
            }
            const shorts = [...spec.options.map((o) => o.short), "h"].filter((x) => x !== undefined);
            expect(new Set(shorts).size).toBe(shorts.length);
            for (const group of spec.oneOf ?? []) for (const n of group) expect(names).toContain(n);
            expect(spec.examples.length).toBeGreaterThan(0);
            for (const e of spec.examples) expect(e.startsWith(`servicedb ${spec.name}`)).toBe(true);
        }
    });

    test("a flag means the same thing everywhere: same type, value and description in every command that takes it", () => {
        const seen = new Map<string, { o: OptionSpec; where: string }>();
        for (const spec of ALL) {
            for (const o of spec.options) {
                const first = seen.get(o.name);
                if (!first) seen.set(o.name, { o, where: spec.name });
                else expect([spec.name, o.type, o.value, o.description]).toEqual([spec.name, first.o.type, first.o.value, first.o.description]);
            }
        }
        expect([...seen.keys()]).toEqual(expect.arrayContaining(["stack", "outputs", "json", "admin-url", "dry-run", "migrations", "lock-timeout"]));
    });

    test("every command's example parses (no required option missing, no unknown flag)", () => {
        for (const spec of ALL) {
            for (const e of spec.examples) {
                const argv = e.replace(/\s*>.*$/, "").split(/\s+/).slice(2).map((w) => w.replace(/^"(.*)"$/, "$1"));
                expect(() => parseCommand(spec, argv, { DATABASE_URL: "postgresql://x@h/d" })).not.toThrow();
            }
        }
    });
});

describe("usage and help", () => {
    test("usage: verbs, required bare, optional in brackets, exactly-one-of groups together", () => {
        expect(usageLine(COMMANDS.repair)).toBe("usage: servicedb repair --stack <name> [--dry-run] [--clear-foreign-locks]");
        expect(usageLine(COMMANDS.backup)).toBe("usage: servicedb backup (--stack <name> | --outputs <file>) --service <name> [--out <dir>] [--json]");
        expect(usageLine(COMMANDS.split)).toMatch(/^usage: servicedb split <plan\|copy\|verify\|cutover\|rollback> --plan <file> \(--stack <name> \| --outputs <file>\) \[--json\]/);
    });

    test("help names every option with its notes, the verbs, the exit codes and the examples", () => {
        for (const spec of ALL) {
            const help = helpText(spec);
            expect(help.split("\n")[0]).toBe(usageLine(spec));
            for (const o of spec.options) expect(help).toContain(`--${o.name}`);
            for (const v of spec.verbs ?? []) expect(help).toContain(`  ${v.name} `);
            expect(help).toContain("-h, --help");
            expect(help).toContain(`exit: ${spec.exits}`);
        }
        expect(helpText(COMMANDS.migrate)).toMatch(/--url <postgres-url> +the service's database, .* \(required; default: \$DATABASE_URL\)/);
        expect(helpText(COMMANDS.verify)).toMatch(/--concurrency <n> +.*\(default: 8\)/);
        const top = topHelp(ALL);
        for (const name of NAMES) expect(top).toMatch(new RegExp(`^  ${name} +\\S`, "m"));
        expect(top).toContain("--version");
    });
});

describe("docs/commands.md", () => {
    const page = fs.readFileSync(path.join(ROOT, "docs", "commands.md"), "utf8");

    test("its generated part is the table's (run npm run docs:commands after changing src/cli/commands.ts)", () => {
        expect(withReference(page, referenceMarkdown(ALL))).toBe(page);
    });

    test("it lists every command and every declared option, and starts each section with a task", () => {
        for (const spec of ALL) {
            expect(page).toContain(`## ${spec.task}: \`servicedb ${spec.name}\``);
            for (const o of spec.options) expect(page).toContain(`| \`--${o.name}`);
        }
        expect(page).toContain(`](#${anchor(`${COMMANDS.repair.task}: \`servicedb repair\``)})`);
    });
});

describe("servicedb <command>", () => {
    const capture = () => {
        const lines = { out: [] as string[], err: [] as string[] };
        return { lines, io: { out: (t: string) => lines.out.push(t), err: (l: string) => lines.err.push(l) } };
    };
    const calls: [string, readonly string[]][] = [];
    const runners = Object.fromEntries(NAMES.map((n) => [n, async () => async (argv: readonly string[]) => { calls.push([n, argv]); return 7; }])) as unknown as Runners;
    beforeEach(() => { calls.length = 0; });

    test("--help and -h: the commands, exit 0; --version: the package's version", async () => {
        for (const flag of ["--help", "-h"]) {
            const c = capture();
            expect(await servicedb([flag], c.io, runners, "9.9.9")).toBe(0);
            expect(c.lines.out).toEqual([topHelp(ALL)]);
        }
        const c = capture();
        expect(await servicedb(["--version"], c.io, runners, "9.9.9")).toBe(0);
        expect(c.lines).toEqual({ out: ["9.9.9"], err: [] });
        expect(packageVersion(path.join(ROOT, "src", "cli"))).toBe((JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    });

    test.each([
        [[], "servicedb: no command given"],
        [["frob"], "servicedb: no such command: frob"],
        [["--frob"], "servicedb: unknown option --frob"],
    ])("%j: one line and the commands on stderr, exit 2", async (argv, line) => {
        const c = capture();
        expect(await servicedb(argv, c.io, runners, "1")).toBe(2);
        expect(c.lines.err).toEqual([line, topHelp(ALL)]);
        expect(calls).toEqual([]);
    });

    test("a command's --help is answered without loading the command; anything else goes to its runner", async () => {
        const c = capture();
        expect(await servicedb(["split", "copy", "-h"], c.io, runners, "1")).toBe(0);
        expect(c.lines.out).toEqual([helpText(COMMANDS.split)]);
        expect(calls).toEqual([]);
        expect(await servicedb(["policy-config", "--stack", "dev"], c.io, runners, "1")).toBe(7);
        expect(calls).toEqual([["policy-config", ["--stack", "dev"]]]);
    });
});

describe("each command's arguments", () => {
    const args = <C extends CommandName, T>(name: C, toArgs: (p: Parsed<(typeof COMMANDS)[C]>) => T, argv: string[], env = {}) => toArgs(parseCommand(COMMANDS[name], argv, env));

    test("defaults as before the one parser", () => {
        expect(args("verify", verifyArgs, ["--outputs", "o.json"])).toEqual({ outputs: "o.json", stack: undefined, json: false, adminUrl: undefined, concurrency: 8, maintenanceDb: "postgres", fullMatrix: false, samplePairs: undefined, seed: undefined });
        expect(args("split", splitArgs, ["copy", "--plan", "p.yaml", "--stack", "s"])).toMatchObject({ command: "copy", progressIntervalMs: 500, lockTimeoutMs: 60_000, json: false });
        expect(args("status", statusArgs, ["--stack", "s"])).toMatchObject({ watch: false, intervalMs: 2000, json: false });
        expect(args("backup", backupArgs, ["--outputs", "o", "--service", "orders"])).toEqual({ source: { stack: undefined, outputs: "o" }, service: "orders", out: "backups", json: false });
        expect(args("restore", restoreArgs, ["--stack", "s", "--service", "orders", "--from", "f.dump", "--clean"]).options).toEqual({ from: "f.dump", as: undefined, adminUrl: undefined, clean: true, force: false });
        expect(args("migrate", migrateArgs, ["info", "--dir", "m"], { DATABASE_URL: "postgres://h/d" })).toEqual({
            command: "info", dir: "m", url: "postgres://h/d", json: false, version: undefined,
            options: { schema: undefined, lockTimeoutMs: undefined, allowOutOfOrder: false, allowChanged: false, allowMissing: false },
        });
    });

    test("the commands' own checks", () => {
        expect(() => args("migrate", migrateArgs, ["baseline", "--dir", "m", "--url", "u"])).toThrow("baseline needs --version <version above 0, e.g. 3 or 1.2>");
        expect(args("migrate", migrateArgs, ["migrate", "--dir", "m", "--url", "u", "--lock-timeout", "1.5"]).options.lockTimeoutMs).toBe(1500);
        expect(() => args("migrate", migrateArgs, ["migrate", "--dir", "m", "--url", "u", "--lock-timeout", "0"])).toThrow('--lock-timeout takes a number of seconds > 0, not "0"');
        expect(() => args("status", statusArgs, ["--stack", "s", "--interval", "1"])).toThrow("--interval goes with --watch");
        expect(() => args("restore", restoreArgs, ["--stack", "s", "--service", "o", "--from", "f", "--clean", "--force"])).toThrow("give --clean or --force, not both");
        expect(() => args("verify", verifyArgs, ["--stack", "s", "--full-matrix", "--sample-pairs", "3"])).toThrow("--full-matrix tries every pair; drop --sample-pairs");
    });
});
