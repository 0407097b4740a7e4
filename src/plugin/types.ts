/**
 * The type tokens of servicedb's custom resources, served by servicedb's own resource provider
 * (src/plugin/provider.ts; the engine starts it as the plugin `servicedb`). The program's
 * components declare them with these tokens; nothing here loads the provider.
 */
export const RESOURCE_TYPES = {
    /** One service's logins, database, schemas, extensions and reader (`servicedb:core: single`). */
    core: "servicedb:core:ServiceCore",
    /** What one service reads of the others on its server (`core: single`). */
    reads: "servicedb:core:ServiceReads",
    /** The guardrails the postgresql provider's Role has no field for (`core: resources`). */
    loginSettings: "servicedb:core:LoginSettings",
    /** A service's migrations, applied as its own role. */
    migrations: "servicedb:migrations:ServiceMigrations",
} as const;

/** The plugin's package name: `pulumi:providers:servicedb`. */
export const PLUGIN_NAME = "servicedb";

/** The type token of a URN (`urn:pulumi:<stack>::<project>::<parent types$>type::<name>`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.split("$").pop() ?? "";
}
