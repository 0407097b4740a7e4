/**
 * A setting, declared once: its meaning, its default, the type other languages see, and the
 * reader that checks a raw config value and returns the typed one (recording a ConfigProblem
 * instead of throwing). The parser, the TypeScript shapes (below), the cross-language arguments
 * (provider/settings.ts) and the reference tables of docs/configuration.md are all derived from
 * the declarations in this folder.
 */
import type { FieldReader, RawObject } from "../fields";

/** How a setting crosses into other languages (and how the docs spell its type). */
export type WireType =
    | "string" | "integer" | "boolean" | "string[]"
    /** A nested map of settings, named as the provider's interface of that name. */
    | { readonly nested: string; readonly settings: Declaration<never> };

/** What a reader may look at besides its own value. */
export interface ReadContext<C> {
    /** The whole raw object the setting is part of: for defaults that follow another field. */
    readonly raw: RawObject;
    /** Values of the level above (a service's name, the platform's protect default, …). */
    readonly outer: C;
}

export interface Setting<V, I, C> {
    /** One line: what it means (the docs' "meaning" column and the provider's JSDoc). */
    readonly doc: string;
    /** The default as the docs say it: "`10`", "the service name in snake_case", "none". */
    readonly defaultDoc: string;
    readonly wire: WireType;
    /** Must be given (no default). */
    readonly required?: true;
    /** A secret: other languages give it apart, as an Output (provider/components.ts). */
    readonly secret?: true;
    /** Checks `raw[key]` and returns the typed value; problems go to `r`. */
    readonly read: (r: FieldReader, key: string, ctx: ReadContext<C>) => V;
    /** Phantom: the type a program writes (never set). */
    readonly input?: I;
}

/** A group of settings: one object of the config (a service, a cluster, a container, a pooler). */
export type Declaration<C> = Readonly<Record<string, Setting<unknown, unknown, C>>>;

/** The typed, defaulted values a declaration reads. */
export type ValuesOf<D> = { readonly [K in keyof D]: D[K] extends Setting<infer V, unknown, never> ? V : never };

/** What a program or a stack file writes: every setting optional. */
export type InputOf<D> = { readonly [K in keyof D]?: D[K] extends Setting<unknown, infer I, never> ? I : never };

/** Reads every setting of `decl` from `raw`, after reporting keys it does not declare (plus `extra`). */
export function readSettings<D extends Declaration<C>, C>(decl: D, r: FieldReader, raw: RawObject, outer: C, extra: readonly string[] = [], checkKeys = true): ValuesOf<D> {
    if (checkKeys) r.rejectUnknown([...Object.keys(decl), ...extra]);
    const ctx: ReadContext<C> = { raw, outer };
    return Object.fromEntries(Object.entries(decl).map(([k, s]) => [k, s.read(r, k, ctx)])) as ValuesOf<D>;
}
