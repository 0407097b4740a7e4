/**
 * Shorter registration stack traces: a measured fix for the size of the file backend's checkpoint.
 *
 * The Node SDK records, with every resource it registers, the whole JavaScript stack at unlimited
 * depth (`Resource.stackTrace`, a private static of `@pulumi/pulumi`), from the SDK's own
 * constructors down through every component constructor to `index.ts`. The engine keeps it in the
 * checkpoint: about a third of its bytes. The file backend rewrites the whole checkpoint (and a
 * `.bak` copy) at the start and the end of every step, so those bytes are paid on every step of
 * every `up` and `destroy` (docs/benchmarks.md, "Fifth run").
 *
 * `keepCallerFrameOnly` keeps the first frame: the line of servicedb's code that constructed the
 * resource. That frame is also the resource's `sourcePosition` (the SDK takes it from the same
 * list), so the engine's messages still point at the line that declared a resource; what goes is
 * the chain of callers below it. It changes only this process (the Pulumi program), and only if
 * the SDK still has the method it wraps: `stackTraceHook` says which, and the unit test fails on an
 * SDK that moved it, rather than this silently doing nothing.
 */
import * as pulumi from "@pulumi/pulumi";

/** A frame as the SDK records it. */
export interface SourceFrame {
    readonly uri: string;
    readonly line: number;
    readonly column: number;
}

type StackTraceFn = (skip: number) => (SourceFrame | undefined)[];
interface WithStackTrace {
    stackTrace?: StackTraceFn;
}

const wrapped = Symbol.for("servicedb.keepCallerFrameOnly");

/** Where the SDK's hook is, or why it is not there (a message for a test to show). */
export function stackTraceHook(target: unknown = pulumi.Resource): { fn: StackTraceFn } | { problem: string } {
    const fn = (target as WithStackTrace).stackTrace;
    if (typeof fn !== "function") {
        return { problem: "@pulumi/pulumi's Resource has no static stackTrace(skip) any more: src/stackTraces.ts must follow the SDK" };
    }
    return { fn };
}

/**
 * Makes the SDK record one frame per resource instead of the whole stack. Idempotent; returns
 * false (and changes nothing) where the SDK has no such hook.
 */
export function keepCallerFrameOnly(target: unknown = pulumi.Resource): boolean {
    const hook = stackTraceHook(target);
    if ("problem" in hook) return false;
    if ((hook.fn as unknown as Record<symbol, boolean>)[wrapped]) return true;
    const original = hook.fn;
    // One more frame to skip: this wrapper sits between the SDK's constructor and its stackTrace.
    const short: StackTraceFn = function (this: unknown, skip: number) {
        return original.call(this, skip + 1).slice(0, 1);
    };
    (short as unknown as Record<symbol, boolean>)[wrapped] = true;
    (target as WithStackTrace).stackTrace = short;
    return true;
}
