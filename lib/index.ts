/**
 * The servicedb package: what a Pulumi program composes. Everything exported here is supported
 * and follows semver (README, "Use it from your own program"); anything reached by a deeper
 * path is internal.
 *
 *   import { PostgresServer, ServiceDatabase } from "servicedb";
 *   const main = new PostgresServer("main", { host: "db.internal", sslmode: "verify-full" });
 *   const orders = new ServiceDatabase("orders", { server: main, connectionLimit: 20, migrations: "migrations/orders" });
 *   export const ordersUrl = orders.url; // a secret
 */

// Components (Pulumi resources).
export { ServiceDatabase } from "../components/serviceDatabase";
export type { ServiceDatabaseArgs } from "../components/serviceDatabase";
export { PostgresServer } from "../components/postgresServer";
export type { PostgresServerArgs } from "../components/postgresServer";
export { PostgresContainer } from "../components/postgresContainer";
export type { PostgresContainerArgs } from "../components/postgresContainer";
export type { DatabaseServer } from "../components/server";
export { Platform } from "../components/platform";
export type { PlatformArgs, ServiceConnection, ServiceSummary } from "../components/platform";
export { platformFromConfig } from "../components/fromConfig";
export type { PlatformConfig, PlatformFromConfigOptions } from "../components/fromConfig";
export { ServiceMigrations } from "../components/serviceMigrations";
export type { ServiceMigrationsArgs } from "../components/serviceMigrations";
export { ServiceCore } from "../components/serviceCore";
export type { ServiceCoreArgs } from "../components/serviceCore";

// Config: the typed settings, reading a stack's config, validation.
export type { ClusterSettings, ContainerSettings, GuardSettings, PlatformServiceSettings, PoolerSettings, ServiceSettings } from "../src/settings";
export { readStackConfig } from "../src/config";
export type { RawPlatformConfig } from "../src/parse";
export { findProblems, planPlatform } from "../src/plan";
export type { MigrationLoader } from "../src/plan";
export { planServiceDatabase } from "../src/standalone";
export type { Placement, StandalonePlan } from "../src/standalone";
export { ConfigError, formatProblem } from "../src/problems";
export type { ConfigProblem } from "../src/problems";
export type { ClusterSpec, ContainerSpec, CoreMode, PlatformSpec, ServiceSpec } from "../src/spec";
export { folderLoader, loadMigrations } from "../src/migrations/files";
export type { MigrationFile } from "../src/migrations/files";

// For service stacks: one service's connection details from the platform stack (also "servicedb/consumer").
export { connectionProblem, serviceDatabase } from "../consumer";
export type { DatabaseConnection } from "../consumer";
