/**
 * What kind of object a resource type stands for, and the provider ID a resource of that kind
 * has once created: the ID `pulumi refresh --import-pending-creates <urn> <id>` needs. The formats
 * are the provider's own (cyrilgdn/terraform-provider-postgresql, pinned by @pulumi/postgresql
 * 3.18.1): Role and Database `name` (SetId(name)); Schema `<database>.<schema>`
 * (generateSchemaID); Extension `<database>.<extension>` (generateExtensionID); Grant
 * `<role>_<database>[_<schema>]_<objectType>[_<object>…][_<column>…]`, no schema for database,
 * foreign_data_wrapper and foreign_server (generateGrantID); GrantRole
 * `<role>_<grantRole>_<withAdminOption>` (generateGrantRoleID); DefaultPrivileges
 * `<role>_<database>_<schema or "noschema">_<owner>_<objectType>` (generateDefaultPrivilegesID).
 * ServiceMigrations' id is the service name (components/serviceMigrations.ts).
 */
import { str } from "./state";
import { RESOURCE_TYPES } from "../plugin/types";

export type Kind =
    | "role" | "database" | "schema" | "extension" | "grant" | "grantRole" | "defaultPrivileges"
    | "migrations" | "core" | "access" | "kubernetes" | "container" | "volume" | "network" | "image" | "password" | "provider" | "unknown";

const KINDS: Record<string, Kind> = {
    "postgresql:index/role:Role": "role",
    "postgresql:index/database:Database": "database",
    "postgresql:index/schema:Schema": "schema",
    "postgresql:index/extension:Extension": "extension",
    "postgresql:index/grant:Grant": "grant",
    "postgresql:index/grantRole:GrantRole": "grantRole",
    "postgresql:index/defaultPrivileges:DefaultPrivileges": "defaultPrivileges",
    [RESOURCE_TYPES.migrations]: "migrations",
    [RESOURCE_TYPES.core]: "core",
    [RESOURCE_TYPES.reads]: "access",
    [RESOURCE_TYPES.loginSettings]: "access",
    "docker:index/container:Container": "container",
    "docker:index/volume:Volume": "volume",
    "docker:index/network:Network": "network",
    "docker:index/remoteImage:RemoteImage": "image",
    "random:index/randomPassword:RandomPassword": "password",
};

export function kindOf(type: string): Kind {
    if (type.startsWith("pulumi:providers:")) return "provider";
    if (type.startsWith("kubernetes:")) return "kubernetes";
    return KINDS[type] ?? "unknown";
}

/** The database a resource works in: its `database` input, else its provider's database. */
export function databaseOf(inputs: Record<string, unknown> | undefined, providerDatabase: string): string {
    return str(inputs, "database") ?? providerDatabase;
}

/** Grants on these object types name no schema (generateGrantID). */
const SCHEMALESS = ["database", "foreign_data_wrapper", "foreign_server"];

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/**
 * The provider ID of a PostgreSQL object from the resource's inputs, or undefined for kinds whose
 * ID only the server knows (containers, networks) or that have none to import.
 */
export function postgresId(kind: Kind, inputs: Record<string, unknown> | undefined, providerDatabase: string): string | undefined {
    const name = str(inputs, "name");
    const db = databaseOf(inputs, providerDatabase);
    switch (kind) {
        case "role":
        case "database":
            return name;
        case "schema":
        case "extension":
            return name === undefined ? undefined : `${db}.${name}`;
        case "grant": {
            const objectType = str(inputs, "objectType") ?? "";
            const parts = [str(inputs, "role") ?? "", db];
            if (!SCHEMALESS.includes(objectType)) parts.push(str(inputs, "schema") ?? "");
            return [...parts, objectType, ...list(inputs?.objects), ...list(inputs?.columns)].join("_");
        }
        case "grantRole":
            return [str(inputs, "role") ?? "", str(inputs, "grantRole") ?? "", String(inputs?.withAdminOption === true)].join("_");
        case "defaultPrivileges":
            return [str(inputs, "role") ?? "", db, str(inputs, "schema") || "noschema", str(inputs, "owner") ?? "", str(inputs, "objectType") ?? ""].join("_");
        default:
            return undefined;
    }
}
