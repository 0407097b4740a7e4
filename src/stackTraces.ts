/**
 * Cheaper stack traces in the Pulumi program: a smaller checkpoint, and less CPU per resource.
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
 * the chain of callers below it. It collects only the frames down to that one (`frameAt`): each
 * stack is formatted through source maps, so the SDK's capture of the whole stack cost CPU on
 * every resource as well. It changes only this process (the Pulumi program), and only if the SDK
 * still has the method it wraps: `stackTraceHook` says which, and the unit test fails on an SDK
 * that moved it, rather than this silently doing nothing. `skipPromiseLeakTraces` (below) takes
 * the other stacks the SDK records per resource off the CPU.
 */
import * as path from "path";
import * as url from "url";
import * as pulumi from "@pulumi/pulumi";
import { isPatch, markPatch } from "./sdkPatch";

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

/** Where the SDK's hook is, or why it is not there (a message for a test to show). */
export function stackTraceHook(target: unknown = pulumi.Resource): { fn: StackTraceFn } | { problem: string } {
    const fn = (target as WithStackTrace).stackTrace;
    if (typeof fn !== "function") {
        return { problem: "@pulumi/pulumi's Resource has no static stackTrace(skip) any more: src/stackTraces.ts must follow the SDK" };
    }
    return { fn };
}

/** The SDK's pattern of a stack line with a position (`at fn (file:line:column)`), as in resource.js. */
const FRAME = /^\s*at .* \((?<file>.*):(?<line>[0-9]+):(?<column>[0-9]+)\)$/;

/**
 * The frame `depth` calls below the function that calls this one (0: that function itself), as the SDK's `Resource.stackTrace`
 * records frames (file URL, line, column; undefined where the line has no position). Only
 * `depth + 2` frames are collected and formatted: the SDK's own capture collects the whole stack
 * at unlimited depth and maps every frame through source maps, on every resource.
 */
export function frameAt(depth: number): SourceFrame | undefined {
    const limit = Error.stackTraceLimit;
    let stack: string | undefined;
    try {
        Error.stackTraceLimit = depth + 2;
        stack = new Error().stack;
    } finally {
        Error.stackTraceLimit = limit;
    }
    // Line 0 is "Error", line 1 this function, line 2 its caller, …
    const groups = FRAME.exec(stack?.split("\n")[depth + 2] ?? "")?.groups;
    if (!groups || groups.file.startsWith("node:")) return undefined;
    return { uri: url.pathToFileURL(groups.file).toString(), line: Number(groups.line), column: Number(groups.column) };
}

/**
 * Makes the SDK record one frame per resource instead of the whole stack. Idempotent; returns
 * false (and changes nothing) where the SDK has no such hook.
 */
export function keepCallerFrameOnly(target: unknown = pulumi.Resource): boolean {
    const hook = stackTraceHook(target);
    if ("problem" in hook) return false;
    if (isPatch(hook.fn)) return true;
    // The SDK's stackTrace(skip) keeps the frames from `skip` calls below its own on; called in
    // its place, this function keeps the first of them.
    (target as WithStackTrace).stackTrace = markPatch<StackTraceFn>((skip) => [frameAt(skip)]);
    return true;
}

/** The SDK module whose promise stacks are not formatted. */
const DEBUGGABLE = ["", "@pulumi", "pulumi", "runtime", "debuggable.js"].join(path.sep);
type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;
/** What such a stack reads instead. */
export const UNRECORDED = "(stack not formatted: PULUMI_DEBUG_PROMISE_LEAKS=true records it)";

/**
 * The SDK records a stack with every output promise it makes (`debuggablePromise`), for its
 * promise-leak report, which prints them only when PULUMI_DEBUG_PROMISE_LEAKS is set. Formatting
 * them, each frame mapped through source maps by the `Error.prepareStackTrace` the SDK's launcher
 * installs (source-map-support), was the largest part of the program's CPU time
 * (docs/benchmarks.md). Unless that variable is set, those stacks now read `UNRECORDED`; every
 * other stack (errors, the resources' registration frame) is formatted as before. Idempotent;
 * returns false where PULUMI_DEBUG_PROMISE_LEAKS is set (and changes nothing).
 */
export function skipPromiseLeakTraces(env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.PULUMI_DEBUG_PROMISE_LEAKS) return false;
    const previous = Error.prepareStackTrace as Prepare | undefined;
    if (isPatch(previous)) return true;
    Error.prepareStackTrace = markPatch<Prepare>((error, frames) => {
        if (frames[0]?.getFileName()?.endsWith(DEBUGGABLE)) return UNRECORDED;
        if (previous) return previous(error, frames);
        // What V8 formats when no prepareStackTrace is set.
        return [error.message ? `${error.name}: ${error.message}` : error.name, ...frames.map((f) => `    at ${f.toString()}`)].join("\n");
    });
    return true;
}
