/**
 * Reading resource properties the way the engine hands them to a policy: values not known yet
 * (during preview, the outputs of resources still to be created) throw `UnknownValueError` when
 * touched, and provider inputs arrive JSON-encoded ("5432", "true"). These helpers turn an
 * unknown into UNKNOWN instead of letting it abort the whole policy, and decode the encodings.
 */
import { UnknownValueError } from "@pulumi/policy";

/** A value the engine does not know yet: policies skip the comparison rather than guess. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** Property bag of a resource (the engine's proxy, or a plain object in tests). */
export type Props = Readonly<Record<string, unknown>>;

/** Runs `read`, answering UNKNOWN when it touches a value the engine does not know yet. */
export function known<T>(read: () => T): T | Unknown {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return UNKNOWN;
        throw e;
    }
}

/** A string property; undefined when unset or not a string. */
export function str(props: Props, key: string): string | undefined | Unknown {
    const v = known(() => props[key]);
    return v === UNKNOWN || typeof v === "string" ? v : undefined;
}

/** A number property, also from a provider's JSON-encoded "42". */
export function num(props: Props, key: string): number | undefined | Unknown {
    const v = known(() => props[key]);
    if (v === UNKNOWN || typeof v === "number") return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** A boolean property, also from a provider's JSON-encoded "true"/"false". */
export function bool(props: Props, key: string): boolean | undefined | Unknown {
    const v = known(() => props[key]);
    if (v === UNKNOWN || typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    return undefined;
}

/** A list property with every element read (an unknown element makes the list UNKNOWN). */
export function list(props: Props, key: string): unknown[] | undefined | Unknown {
    return known(() => {
        const v = props[key];
        return Array.isArray(v) ? Array.from(v as unknown[]) : undefined;
    });
}

/** The element as a property bag, or an empty one. */
export function bag(v: unknown): Props {
    return typeof v === "object" && v !== null ? (v as Props) : {};
}

/** Equality where an unknown side matches anything: policies never fail on what they cannot see. */
export function sameOrUnknown(a: string | undefined | Unknown, b: string | undefined | Unknown): boolean {
    return a === UNKNOWN || b === UNKNOWN || a === b;
}

/** Loopback addresses, `localhost` and unix socket directories: traffic that never leaves the machine. */
export function isLoopback(host: string): boolean {
    const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
    return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h.startsWith("/");
}

/** How a message shows a value: quoted strings, "(not known yet)" for UNKNOWN, "unset" for undefined. */
export function show(v: unknown): string {
    if (v === UNKNOWN) return "(not known yet)";
    if (v === undefined) return "unset";
    return JSON.stringify(v);
}
