/**
 * Secrets on the provider's wire. The engine hands servicedb's provider secret inputs (the admin
 * password, a service's URL) wrapped in Pulumi's secret signature, because the provider accepts
 * secrets. The implementations get plain values; whatever the provider hands back under a key that
 * came in secret goes back wrapped, so a secret input never lands in the state in clear text.
 * Secrets are top-level properties only in servicedb's resources.
 */
import { isRpcSecret, specialSecretSig, specialSigKey, unwrapRpcSecret } from "@pulumi/pulumi/runtime/rpc";

export type Props = Record<string, unknown>;

export interface Opened<T> {
    /** The properties with every top-level secret unwrapped. */
    readonly values: T;
    /** `props` with the keys that came in secret wrapped again. */
    seal<U extends object>(props: U): U;
}

function wrap(value: unknown): unknown {
    return value === undefined || isRpcSecret(value) ? value : { [specialSigKey]: specialSecretSig, value };
}

/** Unwraps the top-level secrets of `props`, remembering which keys were secret. */
export function openSecrets<T>(props: Props): Opened<T> {
    const secret = new Set(Object.keys(props).filter((k) => isRpcSecret(props[k])));
    const values = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, secret.has(k) ? unwrapRpcSecret(v) : v]));
    return {
        values: values as T,
        seal<U extends object>(out: U): U {
            return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, secret.has(k) ? wrap(v) : v])) as U;
        },
    };
}
