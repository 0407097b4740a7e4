/**
 * The settings a platform is written in — the stack config's `servicedb:clusters` and
 * `servicedb:services`, or the same shapes in code — derived from their declarations
 * (service.ts, server.ts, pooler.ts, placement.ts). Plain data only, so the same shapes cross
 * into other languages (provider/settings.ts, generated) and into the docs' reference tables.
 */
import type { GUARD_SETTINGS } from "./guards";
import type { PLACEMENT_SETTINGS } from "./placement";
import type { POOLER_SETTINGS } from "./pooler";
import type { CLUSTER_SETTINGS, CONTAINER_SETTINGS } from "./server";
import type { SERVICE_SETTINGS } from "./service";
import type { InputOf, ValuesOf } from "./setting";

/** A PgBouncer in front of a server (`pooler:`). */
export type PoolerSettings = InputOf<typeof POOLER_SETTINGS>;

/** An existing PostgreSQL server (self-hosted, RDS, Cloud SQL): `servicedb:clusters.<name>`; `host` is required. */
export type ClusterSettings = InputOf<typeof CLUSTER_SETTINGS> & { readonly host: string };

/** A PostgreSQL server in a Docker container of its own: a service's `container:`. */
export type ContainerSettings = InputOf<typeof CONTAINER_SETTINGS>;

/** One service's database: `servicedb:services.<name>` without its placement. */
export type ServiceSettings = InputOf<typeof SERVICE_SETTINGS>;

/** `servicedb:services.<name>`: a service's settings and where it lives (exactly one of `cluster` and `container`). */
export type PlatformServiceSettings = ServiceSettings & InputOf<typeof PLACEMENT_SETTINGS>;

/** A service's guardrails (`settings:`, `servicedb:settings`). */
export type GuardSettings = InputOf<typeof GUARD_SETTINGS>;

/** The values read from a service's settings: part of every ServiceSpec (src/spec.ts). */
export type ServiceValues = ValuesOf<typeof SERVICE_SETTINGS>;

/** The values read from a `pooler:`. */
export type PoolerValues = ValuesOf<typeof POOLER_SETTINGS>;

/** The values read from a `container:` (its name filled in). */
export type ContainerValues = Omit<ValuesOf<typeof CONTAINER_SETTINGS>, "name"> & { readonly name: string };

/** The values read from a cluster's settings. */
export type ClusterValues = ValuesOf<typeof CLUSTER_SETTINGS>;
