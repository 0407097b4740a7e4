/**
 * The plugin's entry point (plugin/pulumi-resource-servicedb calls it): serves servicedb's
 * provider on the port it prints, as every Pulumi plugin does. Loads `@pulumi/pulumi/provider`
 * and the implementations only, not the whole SDK.
 */
import { main } from "@pulumi/pulumi/provider";
import { servicedbProvider } from "./provider";

/** Serves until the engine ends the process; `args`: the engine's address. */
export function serve(version: string, args: string[]): void {
    main(servicedbProvider(version), args).catch((e: unknown) => {
        process.stderr.write(`servicedb provider: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
        process.exit(1);
    });
}
