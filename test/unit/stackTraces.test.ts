import * as pulumi from "@pulumi/pulumi";
import { frameAt, keepCallerFrameOnly, skipPromiseLeakTraces, stackTraceHook, SourceFrame, UNRECORDED } from "../../src/stackTraces";

type Trace = (SourceFrame | undefined)[];

/**
 * The SDK's constructor chain as it calls the hook: Resource → CustomResource/ComponentResource →
 * the concrete class → the caller (`Resource.stackTrace(4)` in resource.js).
 */
function classesOver(target: { stackTrace(skip: number): Trace }): () => Trace {
    class Base {
        readonly trace: Trace;
        constructor() {
            this.trace = target.stackTrace(4);
        }
    }
    // Explicit constructors, as in the SDK (V8 shows no frame for some implicit ones).
    /* eslint-disable @typescript-eslint/no-useless-constructor */
    class Middle extends Base {
        constructor() {
            super();
        }
    }
    class Concrete extends Middle {
        constructor() {
            super();
        }
    }
    /* eslint-enable @typescript-eslint/no-useless-constructor */
    return function declare(): Trace {
        return new Concrete().trace; // the caller's frame: this line
    };
}

/** A copy of the SDK's static methods, so each test wraps its own and pulumi.Resource stays as it is. */
function sdkCopy(): { stackTrace(skip: number): Trace } {
    const hook = stackTraceHook();
    if ("problem" in hook) throw new Error(hook.problem);
    return { stackTrace: hook.fn };
}

describe("keepCallerFrameOnly", () => {
    it("finds the hook in the SDK this project installs (fails when an SDK upgrade moves it)", () => {
        expect(stackTraceHook()).not.toHaveProperty("problem");
        expect(stackTraceHook({})).toEqual({ problem: expect.stringContaining("src/stackTraces.ts") });
    });

    it("keeps exactly the frame the SDK would use as the source position, and drops the callers", () => {
        const full = classesOver(sdkCopy())();
        const target = sdkCopy();
        expect(keepCallerFrameOnly(target)).toBe(true);
        const short = classesOver(target)();
        expect(full.length).toBeGreaterThan(3);
        expect(short).toHaveLength(1);
        // Same file, same line (the `new Concrete()` line), as the untrimmed trace's first frame.
        expect(short[0]).toEqual({ ...full[0], column: short[0]?.column });
        expect(short[0]?.uri).toMatch(/stackTraces\.test\.ts$/);
    });

    it("is idempotent and leaves a target without the hook alone", () => {
        const target = sdkCopy();
        keepCallerFrameOnly(target);
        const once = target.stackTrace;
        expect(keepCallerFrameOnly(target)).toBe(true);
        expect(target.stackTrace).toBe(once);
        const bare = {};
        expect(keepCallerFrameOnly(bare)).toBe(false);
        expect(bare).toEqual({});
    });

    it("does not touch pulumi.Resource unless asked", () => {
        const hook = stackTraceHook(pulumi.Resource);
        expect("fn" in hook && Object.getOwnPropertySymbols(hook.fn)).toEqual([]);
    });
});

describe("frameAt", () => {
    it("gives the frame as the SDK records it, counted from the function that asks", () => {
        function asks(): SourceFrame | undefined {
            return frameAt(1); // 0 is `asks`, 1 its caller: the next line
        }
        const frame = asks(); const line = new Error().stack?.split("\n")[1] ?? "";
        expect(frame?.uri).toMatch(/^file:\/\/.*stackTraces\.test\.ts$/);
        expect(line).toContain(`stackTraces.test.ts:${frame?.line}:`);
    });

    it("is undefined beyond the stack", () => {
        expect(frameAt(10_000)).toBeUndefined();
    });
});

describe("skipPromiseLeakTraces", () => {
    const original = Error.prepareStackTrace;
    afterEach(() => { Error.prepareStackTrace = original; });
    // The SDK's own wrapper, as every output promise goes through it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = () => (require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise<T>(p: Promise<T>, ctx: string): Promise<T> }).debuggablePromise;
    const recorded = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: unknown })._debugStackTrace;

    it("leaves the SDK's per-promise stacks unformatted, and every other stack as it was", async () => {
        const before = new Error("other").stack;
        expect(skipPromiseLeakTraces({})).toBe(true);
        const inner = Promise.resolve(1);
        const p = debuggable()(inner, "test");
        await p;
        expect(recorded(inner)).toBe(UNRECORDED);
        const after = new Error("other").stack;
        expect(after?.split("\n")[0]).toBe("Error: other");
        expect(after).toContain("stackTraces.test.ts");
        expect(before?.split("\n")[0]).toBe("Error: other");
    });

    it("changes nothing where PULUMI_DEBUG_PROMISE_LEAKS asks for the stacks", async () => {
        expect(skipPromiseLeakTraces({ PULUMI_DEBUG_PROMISE_LEAKS: "true" })).toBe(false);
        expect(Error.prepareStackTrace).toBe(original);
        const inner = Promise.resolve(1);
        await debuggable()(inner, "test");
        expect(String(recorded(inner))).toContain("at ");
    });

    it("is idempotent", () => {
        skipPromiseLeakTraces({});
        const once = Error.prepareStackTrace;
        skipPromiseLeakTraces({});
        expect(Error.prepareStackTrace).toBe(once);
    });
});
