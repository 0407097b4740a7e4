import * as pulumi from "@pulumi/pulumi";
import { keepCallerFrameOnly, stackTraceHook, SourceFrame } from "../../src/stackTraces";

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
