/**
 * The mark servicedb puts on its replacements of the SDK's functions (src/stackTraces.ts,
 * src/sdkDebugLog.ts), so installing one twice changes nothing.
 */
const PATCHED = Symbol.for("servicedb.sdkPatch");

/** Marks `fn` as a servicedb replacement of an SDK function; returns it. */
export function markPatch<T extends object>(fn: T): T {
    (fn as Record<symbol, boolean>)[PATCHED] = true;
    return fn;
}

/** Whether `fn` is a servicedb replacement (the patch it belongs to is installed already). */
export function isPatch(fn: unknown): boolean {
    return typeof fn === "function" && (fn as unknown as Record<symbol, boolean>)[PATCHED] === true;
}
