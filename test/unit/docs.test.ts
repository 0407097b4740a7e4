/**
 * The documentation checks itself: the README stays short, its example platform is valid config
 * and its error example is what the program prints for that mistake, every link of the README and
 * of docs/ reaches a file (and a heading, for an anchor), and every command the docs show exists
 * (each `npm run <script>` in package.json; each `servicedb <command>` line a command of the command
 * line's table, with its verb and only its options).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { COMMANDS, commandSpec } from "../../src/cli/commands";
import { findProblems } from "../../src/plan";
import { ConfigError } from "../../src/problems";

const ROOT = path.resolve(__dirname, "../..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The text outside fenced code blocks. */
const prose = (md: string) => md.split(/^```[^\n]*\n[^]*?^```$/m).join("\n");

function anchors(rel: string): Set<string> {
    return new Set(prose(read(rel)).split("\n").filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, ""))));
}

test("the README is short: what, the two commands, an example, adding a service, consuming, links", () => {
    const readme = read("README.md");
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
    for (const h of ["## The two commands", "## An example platform", "## Adding a service", "## Consuming a database", "## Documentation"]) expect(readme).toContain(h);
    expect(readme).toMatch(/npm run up {2,}#/);
    expect(readme).toMatch(/npm test {4,}#/);
});

test("the README's example platform is valid config, and its error example is what the program says", () => {
    const readme = read("README.md");
    const yaml = /```yaml\n# Pulumi\.staging\.yaml\n([^]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    // A `secure:` value arrives decrypted in a real run.
    const config = (parse((yaml ?? "").replace(/\{ secure: [^}]*\}/, "decrypted")) as { config: Record<string, unknown> }).config;
    const raw = { clusters: config["servicedb:clusters"], services: config["servicedb:services"], settings: config["servicedb:settings"], clustersAreSecret: true, stack: "staging" };
    expect(findProblems(raw).problems).toEqual([]);
    const services = { ...(config["servicedb:services"] as object), billing: { cluster: "main", connectionLimit: 0 } };
    const message = new ConfigError(findProblems({ ...raw, services }).problems).message;
    expect(readme).toContain(message);
});

test.each(DOCS)("every link of %s reaches a file, and a heading where it names one", (rel) => {
    const broken: string[] = [];
    for (const [, target] of prose(read(rel)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?|mailto):/.test(target)) continue;
        const [file, anchor] = target.split("#");
        const dest = file === "" ? rel : path.normalize(path.join(path.dirname(rel), file));
        if (!fs.existsSync(path.join(ROOT, dest))) { broken.push(`${target} (no ${dest})`); continue; }
        if (anchor && dest.endsWith(".md") && !anchors(dest).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${dest})`);
    }
    expect(broken).toEqual([]);
});

test.each(DOCS)("every `npm run <script>` that %s shows is a script of package.json", (rel) => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const shown = [...read(rel).matchAll(/npm run (?!path\b)([a-z][\w:-]*)/g)].map((m) => m[1]);
    expect(shown.filter((s) => !scripts.includes(s))).toEqual([]);
});

/** The command lines a page shows: `servicedb …`, `npx servicedb …` and `npm run <command> -- …`, in code. */
function commandLines(md: string): { command: string; rest: string }[] {
    const code = [...md.matchAll(/^```[^\n]*\n([^]*?)^```$/gm)].map((m) => m[1]).join("\n") + "\n" + [...md.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).join("\n");
    const out: { command: string; rest: string }[] = [];
    for (const line of code.replace(/\\\n\s*/g, " ").split("\n")) {
        const m = /(?:^|[\s(;&|])(?:npx )?servicedb ([a-z][a-z-]*)(.*)$/.exec(line) ?? /npm run ([a-z][a-z-]*) --(.*)$/.exec(line);
        // Not a command line: a bare name (a heading), a usage synopsis, the program's own message.
        if (!m || m[2].trim() === "" || /^\s*[<[(]/.test(m[2]) || /^ has \d/.test(m[2])) continue;
        if (m[0].includes("servicedb ") || m[1] in COMMANDS) out.push({ command: m[1], rest: m[2].replace(/#.*$/, "") });
    }
    return out;
}

test.each(DOCS)("every servicedb command line that %s shows names a command, its verb and only its options", (rel) => {
    const wrong: string[] = [];
    for (const { command, rest } of commandLines(read(rel))) {
        const spec = commandSpec(command);
        if (!spec) { wrong.push(`servicedb ${command}: no such command`); continue; }
        const names = new Set(["help", ...spec.options.map((o) => o.name)]);
        for (const [, flag] of rest.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)) if (!names.has(flag)) wrong.push(`servicedb ${command} --${flag}: no such option`);
        const verb = /^\s+([a-z]+)\b/.exec(rest)?.[1];
        if (spec.verbs && !spec.verbs.some((v) => v.name === verb) && !/--help|-h\b/.test(rest)) wrong.push(`servicedb ${command}${rest}: no verb (${spec.verbs.map((v) => v.name).join(", ")})`);
    }
    expect(wrong).toEqual([]);
});
