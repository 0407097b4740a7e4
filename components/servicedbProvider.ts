import * as pulumi from "@pulumi/pulumi";
import { PLUGIN_NAME } from "../src/plugin/types";

/**
 * `pulumi:providers:servicedb` — servicedb's own resource provider (src/plugin/), which creates,
 * reads, updates and deletes ServiceCore, ServiceReads, LoginSettings and ServiceMigrations. It
 * takes no configuration: each resource carries its server's address. One per server, declared
 * with the server so that the engine starts its process while the program is still declaring the
 * services. The engine finds the plugin through Pulumi.yaml (`plugins.providers`, docs/package.md).
 */
export class ServicedbProvider extends pulumi.ProviderResource {
    constructor(name: string, opts?: pulumi.ResourceOptions) {
        super(PLUGIN_NAME, name, {}, opts);
    }
}

/** The options of a servicedb resource: its server's provider (required: no default provider). */
export type ServicedbResourceOptions = pulumi.CustomResourceOptions & { readonly provider: ServicedbProvider };
