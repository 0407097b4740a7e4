/**
 * The one place that reads `pulumi.Config` (with `index.ts`). Components take plain values.
 */
import * as pulumi from "@pulumi/pulumi";
import { RawPlatformConfig } from "./parse";

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
    return {
        clusters: config.getObject<unknown>("clusters"),
        services: config.getObject<unknown>("services"),
        clustersAreSecret: isConfigSecret(`${namespace}:clusters`),
        protect: config.getObject<unknown>("protect"),
        settings: config.getObject<unknown>("settings"),
        containerBasePort: config.getObject<unknown>("containerBasePort"),
        core: config.get("core"),
        stack: pulumi.getStack(),
        dockerHost: config.get("dockerHost"),
    };
}
