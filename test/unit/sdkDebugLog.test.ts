import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { debugLogsWanted, pulumiCliArgs, quietSdkDebugLogs } from "../../src/sdkDebugLog";

describe("debugLogsWanted", () => {
    it("is false for a CLI run without debug or verbose flags", () => {
        expect(debugLogsWanted(["preview", "--stack", "dev", "--expect-no-changes", "--non-interactive"], {})).toBe(false);
        expect(debugLogsWanted(["up", "-y", "-s", "prod", "--parallel", "8"], {})).toBe(false);
    });

    it("is true when the engine shows or logs debug messages", () => {
        for (const args of [["up", "--debug"], ["up", "-d"], ["up", "-v=9"], ["up", "-v", "3"], ["up", "--verbose", "9"], ["up", "--verbose=9"],
            ["up", "--logflow"], ["up", "--logtostderr"], ["up", "-yd"]]) {
            expect([args, debugLogsWanted(args, {})]).toEqual([args, true]);
        }
    });

    it("ignores what comes after --, and keeps the messages when the flags are unknown or asked for", () => {
        expect(debugLogsWanted(["up", "--", "--debug"], {})).toBe(false);
        expect(debugLogsWanted(undefined, {})).toBe(true);
        expect(debugLogsWanted(["up"], { SERVICEDB_SDK_DEBUG_LOGS: "true" })).toBe(true);
    });
});

describe("pulumiCliArgs", () => {
    /** A fake /proc: pid → [ppid, argv]. */
    function fakeProc(procs: Record<number, [number, string[]]>): string {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-proc-"));
        for (const [pid, [ppid, argv]] of Object.entries(procs)) {
            fs.mkdirSync(path.join(root, pid));
            // comm with a space and parentheses, as /proc allows.
            fs.writeFileSync(path.join(root, pid, "stat"), `${pid} (node (x) y) S ${ppid} ${pid} ${pid} 0 -1`);
            fs.writeFileSync(path.join(root, pid, "cmdline"), argv.map((a) => `${a}\0`).join(""));
        }
        return root;
    }

    it("finds the CLI above the language host", () => {
        const root = fakeProc({
            30: [20, ["node", "--require", "./scripts/lazy-sdk.js", "run.js"]],
            20: [10, ["/opt/pulumi/bin/pulumi-language-nodejs", "127.0.0.1:1234"]],
            10: [1, ["/opt/pulumi/bin/pulumi", "preview", "--stack", "dev", ""]],
        });
        expect(pulumiCliArgs(root, 30)).toEqual(["preview", "--stack", "dev", ""]);
    });

    it("is undefined without such an ancestor, or without /proc", () => {
        const root = fakeProc({ 30: [20, ["node"]], 20: [1, ["bash"]] });
        expect(pulumiCliArgs(root, 30)).toBeUndefined();
        expect(pulumiCliArgs(path.join(root, "missing"), 30)).toBeUndefined();
    });
});

describe("quietSdkDebugLogs", () => {
    it("replaces debug with a no-op when nobody sees the messages, once", async () => {
        const sent: string[] = [];
        const log = { debug: async (msg: string) => { sent.push(msg); } };
        expect(quietSdkDebugLogs(false, log as never)).toBe(true);
        await log.debug("Registering resource");
        expect(sent).toEqual([]);
        const once = log.debug;
        expect(quietSdkDebugLogs(false, log as never)).toBe(true);
        expect(log.debug).toBe(once);
    });

    it("leaves debug alone when the messages are wanted", async () => {
        const sent: string[] = [];
        const original = async (msg: string) => { sent.push(msg); };
        const log = { debug: original };
        expect(quietSdkDebugLogs(true, log as never)).toBe(false);
        expect(log.debug).toBe(original);
    });

    it("reaches the SDK's own modules through the module object", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdkLog = require("@pulumi/pulumi/log") as { debug: unknown };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const pulumi = require("@pulumi/pulumi") as { log: unknown };
        expect(pulumi.log).toBe(sdkLog);
        expect(Object.getOwnPropertyDescriptor(sdkLog, "debug")?.writable).toBe(true);
    });
});
