/** The one parser of the command line (src/cli/parse.ts) and its values, on declarations made here. */
import { Parsed, commandArgs, parseCommand } from "../../src/cli/parse";
import { command, option } from "../../src/cli/spec";
import { nonNegative, notBoth, oneOfNames, positiveSeconds, wholeNumber } from "../../src/cli/values";

const spec = command({
    name: "demo",
    summary: "a command to parse",
    task: "Parse",
    verbs: [{ name: "go", description: "go" }, { name: "stop", description: "stop" }],
    options: [
        option({ name: "stack", type: "string", value: "<name>", description: "a stack" }),
        option({ name: "outputs", type: "string", value: "<file>", description: "outputs" }),
        option({ name: "url", type: "string", value: "<url>", env: "DEMO_URL", required: "the database", description: "a URL" }),
        option({ name: "dir", type: "string", value: "<dir>", required: "the folder", description: "a folder" }),
        option({ name: "tag", type: "string", value: "<tag>", multiple: true, description: "a tag" }),
        option({ name: "json", type: "boolean", description: "JSON" }),
    ],
    oneOf: [["stack", "outputs"]],
    exits: "0 always.",
    examples: ["servicedb demo go --stack dev --dir d --url u"],
});

const base = ["go", "--stack", "dev", "--dir", "d", "--url", "u"];
const parse = (argv: readonly string[], env: Record<string, string> = {}) => parseCommand(spec, argv, env);

describe("parseCommand", () => {
    test("values with a space or =, switches, the verb anywhere, the last value of a single option", () => {
        const p = parse(["--stack=a=b", "--dir", "d", "go", "--url", "u", "--json", "--stack", "dev"]);
        expect(p.verb).toBe("go");
        expect(p.value("stack")).toBe("dev");
        expect(p.must("dir")).toBe("d");
        expect(p.flag("json")).toBe(true);
        expect(p.value("outputs")).toBeUndefined();
        expect(parse([...base, "--stack=a=b"]).value("stack")).toBe("a=b");
    });

    test("a repeatable option keeps every value in order", () => {
        expect(parse([...base, "--tag", "x", "--tag=y"]).values("tag")).toEqual(["x", "y"]);
        expect(parse(base).values("tag")).toEqual([]);
    });

    test("a value may start with one dash; one that starts with two needs the = form", () => {
        expect(parse([...base, "--tag", "-1"]).values("tag")).toEqual(["-1"]);
        expect(() => parse([...base, "--tag", "--json"])).toThrow("--tag needs a value");
        expect(parse([...base, "--tag=--json"]).values("tag")).toEqual(["--json"]);
        expect(() => parse([...base, "--tag"])).toThrow("--tag needs a value");
        expect(() => parse([...base, "--tag="])).toThrow("--tag needs a value");
    });

    test("unknown options, values on switches and stray words are refused with one line", () => {
        expect(() => parse([...base, "--nope"])).toThrow("unknown option --nope");
        expect(() => parse([...base, "-x"])).toThrow("unknown option -x");
        expect(() => parse([...base, "--json=1"])).toThrow("--json takes no value");
        expect(() => parse([...base, "extra"])).toThrow('unexpected argument "extra"');
        expect(() => parse([...base, "--", "--json"])).toThrow('unexpected argument "--json"');
    });

    test("the verb: required, one of the declared", () => {
        expect(() => parse(base.slice(1))).toThrow("no command given; use one of go, stop");
        expect(() => parse(["move", ...base.slice(1)])).toThrow('unknown command "move"; use one of go, stop');
    });

    test("exactly one of a group, then required options (an environment variable stands in)", () => {
        expect(() => parse(["go", "--dir", "d", "--url", "u"])).toThrow("give exactly one of --stack <name> or --outputs <file>");
        expect(() => parse([...base, "--outputs", "o.json"])).toThrow("give exactly one of --stack <name> or --outputs <file>");
        expect(() => parse(["go", "--stack", "dev", "--url", "u"])).toThrow("--dir is required (the folder)");
        expect(() => parse(["go", "--stack", "dev", "--dir", "d"])).toThrow("--url is required (or set DEMO_URL)");
        expect(parse(["go", "--stack", "dev", "--dir", "d"], { DEMO_URL: "from-env" }).value("url")).toBe("from-env");
        expect(parse(base, { DEMO_URL: "from-env" }).value("url")).toBe("u");
    });

    test("--help or -h anywhere wins over every other check", () => {
        for (const argv of [["--help"], ["-h"], ["--nope", "-h"], ["move", "--help"]]) expect(parse(argv).help).toBe(true);
        expect(parse(base).help).toBe(false);
    });

    test("asking for an option the command does not declare is a programming error", () => {
        const p = parse(base) as unknown as Parsed<typeof spec> & { value(name: string): string | undefined };
        expect(() => p.value("nope")).toThrow("servicedb demo declares no option --nope");
    });
});

describe("commandArgs", () => {
    const io = () => {
        const lines = { out: [] as string[], err: [] as string[] };
        return { lines, io: { out: (t: string) => lines.out.push(t), err: (l: string) => lines.err.push(l) } };
    };

    test("help: on stdout, exit 0, the command's arguments never built", () => {
        const { lines, io: i } = io();
        const toArgs = jest.fn();
        expect(commandArgs(spec, ["-h"], i, toArgs)).toEqual({ exit: 0 });
        expect(toArgs).not.toHaveBeenCalled();
        expect(lines.out[0]).toMatch(/^usage: servicedb demo <go\|stop> /);
        expect(lines.err).toEqual([]);
    });

    test("a mistake, in the parser or in the command's own checks: one line and the usage on stderr, exit 2", () => {
        const { lines, io: i } = io();
        expect(commandArgs(spec, [...base, "--bad"], i, () => 1)).toEqual({ exit: 2 });
        expect(lines.err).toEqual([
            "servicedb demo: unknown option --bad",
            "usage: servicedb demo <go|stop> (--stack <name> | --outputs <file>) --url <url> --dir <dir> [--tag <tag> ...] [--json]",
        ]);
        const second = io();
        expect(commandArgs(spec, base, second.io, (p) => wholeNumber("--dir", p.must("dir"), 0))).toEqual({ exit: 2 });
        expect(second.lines.err[0]).toBe('servicedb demo: --dir takes a whole number ≥ 0, got "d"');
    });

    test("arguments: built by the command, nothing printed; other errors are not usage errors", () => {
        const { lines, io: i } = io();
        expect(commandArgs(spec, base, i, (p) => p.must("dir"), { DEMO_URL: "x" })).toEqual({ args: "d" });
        expect(lines).toEqual({ out: [], err: [] });
        expect(() => commandArgs(spec, base, i, () => { throw new Error("bug"); })).toThrow("bug");
    });
});

describe("values", () => {
    test("whole numbers, seconds, numbers ≥ 0, exclusive switches, names", () => {
        expect(wholeNumber("--seed", "12", 0)).toBe(12);
        expect(() => wholeNumber("--concurrency", "0", 1)).toThrow('--concurrency takes a whole number ≥ 1, got "0"');
        expect(() => wholeNumber("--seed", "-1", 0)).toThrow('--seed takes a whole number ≥ 0, got "-1"');
        expect(positiveSeconds("interval", undefined, 2)).toBe(2);
        expect(positiveSeconds("interval", "0.5", 2)).toBe(0.5);
        expect(() => positiveSeconds("interval", "0", 2)).toThrow('--interval takes a number of seconds > 0, not "0"');
        expect(() => positiveSeconds("interval", "Infinity", 2)).toThrow("--interval takes a number of seconds > 0");
        expect(nonNegative("progress-interval", undefined, 500)).toBe(500);
        expect(nonNegative("progress-interval", "0", 500)).toBe(0);
        expect(() => nonNegative("lock-timeout", "soon", 60)).toThrow("--lock-timeout takes a number ≥ 0");
        expect(() => notBoth(true, true, "give --clean or --force, not both")).toThrow("give --clean or --force, not both");
        expect(() => notBoth(true, false, "x")).not.toThrow();
        expect(oneOfNames("stack", "dev", ["dev", "prod"])).toBe("dev");
        expect(() => oneOfNames("stack", "nope", ["dev", "prod"])).toThrow("--stack must name one of: dev, prod");
    });
});
