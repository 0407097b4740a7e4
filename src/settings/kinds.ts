/**
 * Constructors of settings (src/settings/setting.ts): the common kinds, each with its range and
 * its fix, so that a declaration is one line of meaning and numbers.
 */
import type { ReadContext, Setting } from "./setting";

type Dflt<T, C> = T | ((ctx: ReadContext<C>) => T);
const resolve = <T, C>(d: Dflt<T, C>, ctx: ReadContext<C>): T => (typeof d === "function" ? (d as (c: ReadContext<C>) => T)(ctx) : d);
const shown = (v: unknown): string => (Array.isArray(v) ? `\`[${v.join(", ")}]\`` : `\`${String(v)}\``);

interface Base { readonly doc: string; readonly defaultDoc?: string }

/** A whole number in [min, max]; `hint` completes "set <path> to …". */
export function integer<C>(o: Base & { readonly min: number; readonly max: number; readonly hint: string; readonly default: Dflt<number, C> }): Setting<number, number, C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc ?? shown(o.default), wire: "integer", read: (r, k, ctx) => r.integer(k, resolve(o.default, ctx), o.min, o.max, o.hint) };
}

/** A whole number in [min, max], absent when not given (its default follows from other settings). */
export function optionalInteger<C>(o: Base & { readonly min: number; readonly max: number; readonly hint: string; readonly defaultDoc: string }): Setting<number | undefined, number, C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc, wire: "integer", read: (r, k, ctx) => (ctx.raw[k] === undefined ? undefined : r.integer(k, o.min, o.min, o.max, o.hint)) };
}

/** A non-empty string. */
export function text<C>(o: Base & { readonly default: Dflt<string, C> }): Setting<string, string, C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc ?? shown(o.default), wire: "string", read: (r, k, ctx) => { const d = resolve(o.default, ctx); return r.string(k, d) ?? d; } };
}

/** A non-empty string, absent when not given. */
export function optionalText<C>(o: Base & { readonly defaultDoc: string }): Setting<string | undefined, string, C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc, wire: "string", read: (r, k) => r.optionalString(k) };
}

/** A string that must be given. */
export function requiredText<C>(o: { readonly doc: string }): Setting<string, string, C> {
    return { doc: o.doc, defaultDoc: "— (required)", wire: "string", required: true, read: (r, k) => r.string(k) ?? "" };
}

export function flag<C>(o: Base & { readonly default: Dflt<boolean, C> }): Setting<boolean, boolean, C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc ?? shown(o.default), wire: "boolean", read: (r, k, ctx) => r.boolean(k, resolve(o.default, ctx)) };
}

/** A list of non-empty strings. */
export function textList<C>(o: Base & { readonly default: readonly string[] }): Setting<readonly string[], readonly string[], C> {
    return { doc: o.doc, defaultDoc: o.defaultDoc ?? shown(o.default), wire: "string[]", read: (r, k) => r.stringList(k, o.default) };
}

/** One of a fixed set of strings (written as any string: other languages know no literal types; the reader checks). */
export function choice<T extends string, C>(o: Base & { readonly values: readonly T[]; readonly default: Dflt<T, C> }): Setting<T, string, C> {
    return {
        doc: `${o.doc} One of ${o.values.map((v) => `\`${v}\``).join(", ")}.`, defaultDoc: o.defaultDoc ?? shown(o.default), wire: "string",
        read: (r, k, ctx) => r.oneOf(k, o.values, resolve(o.default, ctx)),
    };
}

/** Anything else: its own reader. */
export function custom<V, I, C>(o: Pick<Setting<V, I, C>, "doc" | "defaultDoc" | "wire" | "read" | "secret">): Setting<V, I, C> {
    return { ...o };
}
