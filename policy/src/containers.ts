/**
 * Containers: ports published on loopback unless an address is allowed, and every PostgreSQL
 * container keeps its data directory in a volume (or bind mount), not in the container's layer.
 */
import { resourcePolicy } from "./define";
import { TYPES } from "./resources";
import { bag, isLoopback, list, num, Props, str, UNKNOWN } from "./values";

export interface PortsConfig {
    /** Host addresses a port may be published on besides loopback (e.g. a private interface). */
    readonly allowedAddresses?: readonly string[];
}

/** Ports published on an address other than loopback (an unset ip means every interface). */
export function portProblems(props: Props, config: PortsConfig = {}): string[] {
    const ports = list(props, "ports");
    if (ports === UNKNOWN || ports === undefined) return [];
    return ports.flatMap((p, i) => {
        const port = bag(p);
        const ip = str(port, "ip") ?? "0.0.0.0";
        if (ip === UNKNOWN || isLoopback(ip) || (config.allowedAddresses ?? []).includes(ip)) return [];
        const internal = num(port, "internal");
        return [`ports[${i}] publishes ${typeof internal === "number" ? internal : "a port"} on ${ip}${ip === "0.0.0.0" ? " (every interface)" : ""} — `
            + `reachable from the network; set ip: "127.0.0.1", or list the address in this policy's allowedAddresses`];
    });
}

const strings = (props: Props, key: string) => {
    const v = list(props, key);
    return v === UNKNOWN || v === undefined ? [] : v.filter((x): x is string => typeof x === "string");
};

/** Whether the container runs PostgreSQL: its image, its POSTGRES_/PGDATA environment, or port 5432 inside. */
export function isPostgres(props: Props): boolean {
    const image = str(props, "image");
    const ports = list(props, "ports");
    return (typeof image === "string" && /postgres|timescale|postgis|pgvector/i.test(image))
        || strings(props, "envs").some((e) => /^(POSTGRES_|PGDATA=)/.test(e))
        || (Array.isArray(ports) && ports.some((p) => num(bag(p), "internal") === 5432));
}

/** Where the data lives: PGDATA when the environment sets it, else the official images' directory. */
export function dataDirectoryOf(props: Props): string {
    const pgdata = strings(props, "envs").find((e) => e.startsWith("PGDATA="));
    return pgdata ? pgdata.slice("PGDATA=".length) : "/var/lib/postgresql/data";
}

const covers = (mount: string, dir: string) => mount !== "/" && (dir === mount || dir.startsWith(`${mount.replace(/\/$/, "")}/`));

/** What is wrong with a PostgreSQL container's storage (empty: nothing, or not PostgreSQL). */
export function dataVolumeProblems(props: Props): string[] {
    if (!isPostgres(props)) return [];
    const volumes = list(props, "volumes");
    if (volumes === UNKNOWN) return [];
    const dir = dataDirectoryOf(props);
    const held = (volumes ?? []).map(bag).some((v) => {
        const path = str(v, "containerPath");
        const source = str(v, "volumeName") ?? str(v, "hostPath");
        // PostgreSQL 18 images keep the data one level up, in /var/lib/postgresql.
        return source !== undefined && (path === UNKNOWN || (path !== undefined && (covers(path, dir) || path === "/var/lib/postgresql")));
    });
    return held ? [] : [`no volume holds the data directory ${dir} — the data lives in the container and goes with it on replacement; `
        + `mount a docker.Volume at ${dir} (/var/lib/postgresql for PostgreSQL 18 images)`];
}

export const containerPorts = resourcePolicy<PortsConfig>({
    name: "docker-container-loopback-ports",
    description: "A container publishes its ports on 127.0.0.1 (or ::1) unless the address is allowed in config.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { allowedAddresses: { type: "array", items: { type: "string" }, description: "Addresses besides loopback a port may be published on." } } },
    type: TYPES.container,
    problems: portProblems,
});

export const containerDataVolume = resourcePolicy({
    name: "docker-postgres-data-volume",
    description: "A PostgreSQL container keeps its data directory in a volume or bind mount.",
    enforcementLevel: "advisory",
    type: TYPES.container,
    problems: dataVolumeProblems,
});
