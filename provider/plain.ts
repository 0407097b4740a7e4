/**
 * Arguments that arrive from another language's program: values known when the program runs
 * come as plain data, anything that depends on another resource (or is secret) as an Output.
 * Those that decide which resources exist and how they are named must be plain.
 */
import * as pulumi from "@pulumi/pulumi";

/** Paths (a.b.c) of the Outputs inside `value`. */
export function outputPaths(value: unknown, at = ""): string[] {
    if (pulumi.Output.isInstance(value)) return [at || "(the arguments)"];
    if (Array.isArray(value)) return value.flatMap((v, i) => outputPaths(v, `${at}[${i}]`));
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => outputPaths(v, at ? `${at}.${k}` : k));
    }
    return [];
}

/** `args`, after checking that every field but `passThrough` is plain; throws a RunError naming each that is not. */
export function requirePlain<T extends object>(subject: string, args: T, passThrough: readonly (keyof T)[]): T {
    const checked = Object.fromEntries(Object.entries(args).filter(([k]) => !passThrough.includes(k as keyof T)));
    const bad = outputPaths(checked);
    if (bad.length > 0) {
        throw new pulumi.RunError(bad.map((p) =>
            `${subject}, field "${p}": is an output of another resource (or a secret), but it decides which resources exist. ` +
            "Fix: give it as a plain value; only adminPassword(s) may be secrets or outputs.").join("\n"));
    }
    return args;
}
