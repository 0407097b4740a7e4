/**
 * Services that ask for `container:` → one ContainerSpec per container name: settings merged
 * (conflicts are problems), image and major version resolved, host ports assigned, and the
 * container-level checks (port range and clashes, volume clashes, extensions the image lacks).
 */
import { ConfigProblem, serviceSubject } from "./problems";
import { DEFAULT_POSTGRES_MAJOR, defaultImage, imageShipping, majorFromImage, missingExtensions } from "./images";
import { assignPorts } from "./ports";
import { DEFAULT_PARALLELISM } from "./pool";
import { ContainerRequest, ContainerSpec, ServiceSpec } from "./spec";

export const DEFAULT_BASE_PORT = 5433;
/** The postgres image's max_connections, and what servicedb keeps from the services. */
const CONTAINER_MAX_CONNECTIONS = 100;
const CONTAINER_RESERVED = 10;

type Setting = Exclude<keyof ContainerRequest, "name">;
const SETTINGS: readonly Setting[] = ["image", "version", "port", "volume", "memory", "removeVolumeOnDestroy"];

export interface ContainerPlan {
    readonly containers: ContainerSpec[];
    /** Things worth saying that are not errors (unknown image families). */
    readonly warnings: string[];
}

export function planContainers(services: readonly ServiceSpec[], stack: string, basePort: number, problems: ConfigProblem[]): ContainerPlan {
    interface Group { request: Record<string, unknown>; from: Map<Setting, string>; services: ServiceSpec[] }
    const groups = new Map<string, Group>();
    for (const s of services) {
        if (!s.container) continue;
        const g: Group = groups.get(s.container.name) ?? { request: {}, from: new Map(), services: [] };
        groups.set(s.container.name, g);
        g.services.push(s);
        for (const k of SETTINGS) {
            const v = s.container[k];
            if (v === undefined) continue;
            if (g.request[k] !== undefined && g.request[k] !== v) {
                problems.push({
                    subject: serviceSubject(s.name), field: `container.${k}`,
                    problem: `is ${JSON.stringify(v)}, but service "${g.from.get(k)}" gives container "${s.container.name}" ${JSON.stringify(g.request[k])}`,
                    fix: `give every service of container "${s.container.name}" the same ${k}, or set it on one of them only`,
                });
                continue;
            }
            g.request[k] = v;
            g.from.set(k, s.name);
        }
    }
    const ports = assignPorts([...groups].map(([name, g]) => ({ name, port: g.request.port as number | undefined })), basePort);
    const warnings: string[] = [];
    const containers = [...groups].map(([name, g]): ContainerSpec => {
        const first = g.services[0].name;
        const imageGiven = g.request.image as string | undefined;
        const versionGiven = g.request.version as number | undefined;
        const fromTag = imageGiven ? majorFromImage(imageGiven) : undefined;
        if (imageGiven && versionGiven !== undefined && fromTag !== undefined && fromTag !== versionGiven) {
            problems.push({ subject: serviceSubject(first), field: "container.version", problem: `is ${versionGiven}, but image ${imageGiven} is PostgreSQL ${fromTag}`, fix: `drop container.version or make it ${fromTag}` });
        }
        if (imageGiven && versionGiven === undefined && fromTag === undefined) {
            problems.push({ subject: serviceSubject(first), field: "container.version", problem: `cannot be read from the tag of image ${imageGiven}, and it decides the data directory`, fix: "set container.version to the image's PostgreSQL major version, e.g. 16" });
        }
        const version = versionGiven ?? fromTag ?? DEFAULT_POSTGRES_MAJOR;
        const image = imageGiven ?? defaultImage(version);
        for (const s of g.services) problems.push(...extensionProblems(s, image, version, warnings));
        return {
            name, image, version,
            port: ports.get(name) as number,
            volume: (g.request.volume as string | undefined) ?? `servicedb-${stack}-${name}-data`,
            memory: g.request.memory as number | undefined,
            removeVolumeOnDestroy: (g.request.removeVolumeOnDestroy as boolean | undefined) ?? false,
            maxConnections: CONTAINER_MAX_CONNECTIONS,
            reservedConnections: CONTAINER_RESERVED,
            parallelism: DEFAULT_PARALLELISM,
            services: g.services.map((s) => s.name),
        };
    });
    problems.push(...clashes(containers, "port", (c) => String(c.port), "pick another container.port (from 1024 to 65535)"));
    problems.push(...clashes(containers, "volume", (c) => c.volume, "give one of them another container.volume"));
    return { containers, warnings };
}

function extensionProblems(s: ServiceSpec, image: string, version: number, warnings: string[]): ConfigProblem[] {
    const missing = missingExtensions(image, s.extensions);
    if (missing === undefined) {
        if (s.extensions.length) warnings.push(`service "${s.name}": image ${image} is not a family servicedb knows (postgres, timescaledb, pgvector, postgis); its extensions ${s.extensions.join(", ")} are not checked before deploy`);
        return [];
    }
    return missing.map((ext) => {
        const better = imageShipping(ext, version);
        return {
            subject: serviceSubject(s.name), field: "extensions",
            problem: `"${ext}" is not shipped by image ${image}`,
            fix: better ? `use an image that ships it, e.g. container.image: ${better}, or remove it` : `remove it, or use an image that ships it (and set container.version)`,
        };
    });
}

function clashes(containers: readonly ContainerSpec[], field: "port" | "volume", key: (c: ContainerSpec) => string, fix: string): ConfigProblem[] {
    const seen = new Map<string, ContainerSpec>();
    return containers.flatMap((c) => {
        const other = seen.get(key(c));
        if (!other) { seen.set(key(c), c); return []; }
        return [{ subject: serviceSubject(c.services[0]), field: `container.${field}`, problem: `container "${c.name}" uses ${field} ${key(c)}, like container "${other.name}" (service "${other.services[0]}")`, fix }];
    });
}
