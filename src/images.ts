/**
 * What servicedb knows about PostgreSQL container images: the major version a tag implies, the
 * data directory of that version, and which extensions each image family ships.
 */

/** Image used when a service's `container` names none. */
export const DEFAULT_POSTGRES_MAJOR = 17;
export const defaultImage = (major: number) => `postgres:${major}`;

/** `timescale/timescaledb:latest-pg16` → { repo: "timescale/timescaledb", tag: "latest-pg16" }. */
export function splitImage(image: string): { repo: string; tag: string } {
    const at = image.indexOf("@");
    const ref = at >= 0 ? image.slice(0, at) : image;
    const colon = ref.lastIndexOf(":");
    const hasTag = colon > ref.lastIndexOf("/");
    const repo = (hasTag ? ref.slice(0, colon) : ref).replace(/^(docker\.io\/)?(library\/)?/, "");
    return { repo, tag: hasTag ? ref.slice(colon + 1) : "latest" };
}

/** The PostgreSQL major version an image tag names (`16`, `16.4-bookworm`, `latest-pg16`, `pg17`), if any. */
export function majorFromImage(image: string): number | undefined {
    const { tag } = splitImage(image);
    const pg = /(?:^|[^a-z])pg(\d{2})(?:\D|$)/.exec(tag);
    if (pg) return Number(pg[1]);
    const lead = /^(\d{1,2})(?:[.-]|$)/.exec(tag);
    return lead ? Number(lead[1]) : undefined;
}

/** Where the image keeps its data: PostgreSQL 18 images moved it up one level. */
export function dataDirectory(major: number): string {
    return major >= 18 ? "/var/lib/postgresql" : "/var/lib/postgresql/data";
}

/** Extensions in the contrib package, which every family below ships. */
const CONTRIB = [
    "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink", "dict_int",
    "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username", "intagg", "intarray", "isn",
    "lo", "ltree", "moddatetime", "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_prewarm", "pg_stat_statements",
    "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "plpgsql",
    "postgres_fdw", "refint", "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent",
    "uuid-ossp", "xml2",
];

export interface ImageFamily {
    readonly name: string;
    readonly repos: readonly string[];
    /** Beyond contrib. */
    readonly extras: readonly string[];
}

export const FAMILIES: readonly ImageFamily[] = [
    { name: "postgres", repos: ["postgres"], extras: [] },
    { name: "timescaledb", repos: ["timescale/timescaledb"], extras: ["timescaledb"] },
    { name: "pgvector", repos: ["pgvector/pgvector"], extras: ["vector"] },
    { name: "postgis", repos: ["postgis/postgis"], extras: ["postgis", "postgis_raster", "postgis_topology", "postgis_tiger_geocoder", "address_standardizer", "address_standardizer_data_us"] },
];

export function familyOf(image: string): ImageFamily | undefined {
    const { repo } = splitImage(image);
    return FAMILIES.find((f) => f.repos.includes(repo));
}

/** Extensions of `wanted` the image's family does not ship; undefined when the family is unknown. */
export function missingExtensions(image: string, wanted: readonly string[]): string[] | undefined {
    const family = familyOf(image);
    if (!family) return undefined;
    return wanted.filter((e) => !CONTRIB.includes(e) && !family.extras.includes(e));
}

/** An image of a known family that ships `extension`, to suggest in a fix. */
export function imageShipping(extension: string, major: number): string | undefined {
    const tags: Record<string, string> = { timescaledb: `timescale/timescaledb:latest-pg${major}`, pgvector: `pgvector/pgvector:pg${major}`, postgis: `postgis/postgis:${major}-3.5` };
    const family = FAMILIES.find((f) => f.extras.includes(extension));
    return family ? tags[family.name] : undefined;
}
