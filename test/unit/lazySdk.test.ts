/**
 * scripts/lazy-sdk.js, the preload of the Pulumi program (Pulumi.yaml `nodeargs`): the SDK starts
 * without TypeScript and arborist, and still serializes functions and computes code paths with
 * them, loaded on first use. Each case runs in a fresh node process (its own module cache).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const HOOK = path.join(ROOT, "scripts", "lazy-sdk.js");

interface Loaded { typescript: boolean; arborist: boolean; otelSdk: boolean; automation: boolean; [key: string]: unknown }

/** Runs `body` (an async function body) in a fresh node; reports what was loaded at the end. */
function run(body: string, opts: { hook?: boolean; env?: Record<string, string>; argv?: string[] } = {}): Loaded {
    const script = `
        const loaded = () => ({
            typescript: Object.keys(require.cache).some((k) => /node_modules[\\\\/]typescript[\\\\/]lib/.test(k)),
            arborist: Object.keys(require.cache).some((k) => /node_modules[\\\\/]@npmcli[\\\\/]arborist[\\\\/]/.test(k)),
            otelSdk: Object.keys(require.cache).some((k) => /node_modules[\\\\/]@opentelemetry[\\\\/]sdk-trace-node[\\\\/]/.test(k)),
            automation: Object.keys(require.cache).some((k) => /node_modules[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]automation[\\\\/]/.test(k)),
        });
        (async () => { const out = {}; ${body}; console.log(JSON.stringify({ ...loaded(), ...out })); })()
            .catch((e) => { console.error(e); process.exit(1); });`;
    const args = [...(opts.hook === false ? [] : ["--require", HOOK]), "-e", script, "--", ...(opts.argv ?? [])];
    const env = { ...process.env, SERVICEDB_EAGER_SDK: "", ...opts.env };
    const out = execFileSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Loaded;
}

describe("lazy SDK preload", () => {
    test("Pulumi.yaml preloads the hook into the program's node", () => {
        const yaml = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
        const args = /^\s*nodeargs:\s*(.+)$/m.exec(yaml)?.[1].trim();
        expect(args).toBe("--require ./scripts/lazy-sdk.js");
        expect(fs.existsSync(path.join(ROOT, "scripts", "lazy-sdk.js"))).toBe(true);
    });

    test("without the hook the SDK loads TypeScript and arborist at start-up (what the hook is for)", () => {
        expect(run(`require("@pulumi/pulumi")`, { hook: false })).toMatchObject({ typescript: true, arborist: true, automation: true });
    });

    test("with the hook the SDK starts without them", () => {
        expect(run(`require("@pulumi/pulumi")`)).toMatchObject({ typescript: false, arborist: false, automation: false });
    });

    test("serializing a function loads TypeScript on first use and gives the same text", () => {
        const body = `
            const pulumi = require("@pulumi/pulumi");
            const s = await pulumi.runtime.serializeFunction((x) => x + 1);
            out.text = s.text;`;
        const lazy = run(body);
        const eager = run(body, { hook: false });
        expect(lazy.typescript).toBe(true);
        expect(lazy.text).toBe(eager.text);
        expect(String(lazy.text)).toContain("x + 1");
    });

    test("computing code paths loads arborist on first use and finds the same packages", () => {
        const body = `
            const pulumi = require("@pulumi/pulumi");
            out.paths = [...(await pulumi.runtime.computeCodePaths()).keys()].sort();`;
        const lazy = run(body);
        const eager = run(body, { hook: false });
        expect(lazy.arborist).toBe(true);
        expect(lazy.paths).toEqual(eager.paths);
        expect((lazy.paths as string[]).length).toBeGreaterThan(0);
    });

    test("the Automation API loads on first use, whole", () => {
        const r = run(`const pulumi = require("@pulumi/pulumi"); out.create = typeof pulumi.automation.LocalWorkspace.create; out.stack = typeof pulumi.automation.Stack;`);
        expect(r).toMatchObject({ automation: true, create: "function", stack: "function" });
        const direct = run(`const a = require("@pulumi/pulumi/automation"); out.create = typeof a.LocalWorkspace.create;`);
        expect(direct.create).toBe("function");
    });

    test("modules outside the SDK get the real TypeScript, not a stand-in", () => {
        const r = run(`const ts = require("typescript"); out.isReal = typeof ts.createSourceFile === "function" && !require("util").types.isProxy(ts);`);
        expect(r.isReal).toBe(true);
    });

    test("the launcher's OpenTelemetry SDK loads only when the engine asks for tracing", () => {
        const launcher = `require("@pulumi/pulumi"); const t = require("@pulumi/pulumi/cmd/run/tracing"); out.start = typeof t.start;`;
        expect(run(launcher, { hook: false })).toMatchObject({ otelSdk: true });
        expect(run(launcher)).toMatchObject({ otelSdk: false, start: "function" });
        expect(run(launcher, { argv: ["--tracing", "http://127.0.0.1:9411/api/v2/spans"] })).toMatchObject({ otelSdk: true });
        expect(run(launcher, { argv: ["--tracing=http://127.0.0.1:9411/api/v2/spans"] })).toMatchObject({ otelSdk: true });
    });

    test("a stand-in loads its module once, on first use, and then behaves as the module", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { deferred } = require(HOOK) as { deferred(load: () => object): Record<string, unknown> };
        let loads = 0;
        const mod = { Thing: class Thing { readonly made = true; }, value: 42 };
        Object.defineProperty(mod, "fixed", { value: 1, enumerable: true, configurable: false });
        const standIn = deferred(() => { loads++; return mod; });
        expect(standIn.__esModule).toBe(true); // what __importStar asks first: no load
        expect(loads).toBe(0);
        expect(standIn.value).toBe(42);
        expect(new (standIn.Thing as new () => object)()).toBeInstanceOf(mod.Thing);
        expect(Object.keys(standIn).sort()).toEqual(["Thing", "fixed", "value"]);
        expect("value" in standIn).toBe(true);
        expect(standIn.default).toBe(mod); // a CommonJS module's default, as __importDefault makes it
        expect(loads).toBe(1);
        const esm = { __esModule: true, default: "the default" };
        expect(deferred(() => esm).default).toBe("the default");
    });

    test("SERVICEDB_EAGER_SDK=true turns the hook off", () => {
        expect(run(`require("@pulumi/pulumi")`, { env: { SERVICEDB_EAGER_SDK: "true" } })).toMatchObject({ typescript: true, arborist: true });
    });
});
