/**
 * The component package's provider: hosts ServiceDatabase and Platform for Pulumi programs in
 * other languages (the engine starts it as the plugin of PulumiPlugin.yaml, under the package
 * name `servicedb`), and, being the plugin `servicedb` of those programs, also serves servicedb's
 * own resources (ServiceCore, ServiceMigrations, …) that the components declare: the same
 * provider as plugin/pulumi-resource-servicedb (src/plugin/provider.ts).
 */
import { main } from "@pulumi/pulumi/provider";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { servicedbProvider } from "../src/plugin/provider";
import { Platform, ServiceDatabase } from "./components";

const components = new ComponentProvider({ components: [ServiceDatabase, Platform], name: "servicedb", dirname: __dirname });

main({
    ...servicedbProvider(components.version),
    getSchema: () => components.getSchema(),
    construct: (name, type, inputs, options) => components.construct(name, type, inputs, options),
}, process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`servicedb provider: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
});
