/**
 * The component provider of the servicedb package: hosts ServiceDatabase and Platform for Pulumi
 * programs in other languages (the engine starts it as the plugin of PulumiPlugin.yaml).
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { Platform, ServiceDatabase } from "./components";

componentProviderHost({ components: [ServiceDatabase, Platform], name: "servicedb", dirname: __dirname }).catch((e: unknown) => {
    process.stderr.write(`servicedb provider: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
});
