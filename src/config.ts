/**
 * The one place that reads `pulumi.Config` (with `index.ts`). Components take plain values.
 */
import * as pulumi from "@pulumi/pulumi";
import { RawPlatformConfig, rawPlatformConfig } from "./parse";

/** The SDK's own record of which config keys hold `secure:` values (set by the CLI and by mocks). */
interface RuntimeConfigInternals {
    isConfigSecret?: (key: string) => boolean;
}

/**
 * Whether a config key holds an encrypted value. The CLI marks a structured key secret when any
 * value inside it is `secure:`. Uses the SDK's own check; if a future SDK drops it, every key is
 * treated as plain, so a plain-text admin password can never slip through.
 */
export function isConfigSecret(fullKey: string): boolean {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const internals = require("@pulumi/pulumi/runtime/config") as RuntimeConfigInternals;
    return typeof internals.isConfigSecret === "function" && internals.isConfigSecret(fullKey);
}

/** Reads the `servicedb:` namespace of the current stack. */
export function readStackConfig(namespace = "servicedb"): RawPlatformConfig {
    const config = new pulumi.Config(namespace);
    return rawPlatformConfig((key, kind) => (kind === "object" ? config.getObject<unknown>(key) : config.get(key)),
        isConfigSecret(`${namespace}:clusters`), pulumi.getStack());
}
