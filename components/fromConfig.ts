/**
 * platformFromConfig: a whole platform from its config — the stack config `index.ts` reads, or
 * the same shapes written in code (src/settings.ts) — validated first (`planPlatform`: every
 * problem at once, nothing declared), then declared as one Platform.
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { folderLoader } from "../src/migrations/files";
import { RawPlatformConfig } from "../src/parse";
import { planPlatform } from "../src/plan";
import { ConfigError } from "../src/problems";
import type { CoreMode } from "../src/spec";
import { ClusterSettings, GuardSettings, PlatformServiceSettings } from "../src/settings";
import type { KubernetesSettings } from "../src/settings/kubernetes";
import { Platform } from "./platform";

/** A platform written in code: the typed twin of `servicedb:clusters` / `servicedb:services`. */
export interface PlatformConfig {
    /** Existing servers by name. Defaults to none (a platform of containers). */
    readonly clusters?: Readonly<Record<string, Omit<ClusterSettings, "adminPassword"> & { readonly adminPassword?: pulumi.Input<string> }>>;
    /** Services by name; each names a cluster or asks for a container. */
    readonly services: Readonly<Record<string, PlatformServiceSettings>>;
    /** Default of every service's `protect`. Defaults to false. */
    readonly protect?: boolean;
    /** The guardrails every service inherits (`servicedb:settings`). Defaults to servicedb's (docs/configuration.md). */
    readonly settings?: GuardSettings;
    /** First host port for containers without one. Defaults to 5433. */
    readonly containerBasePort?: number;
    /** Part of container and volume names. Defaults to the stack's name. */
    readonly stack?: string;
    /** Docker daemon for containers. Defaults to DOCKER_HOST or the local socket. */
    readonly dockerHost?: string;
    /** "resources" or "single" (one ServiceCore step per service; see ServiceDatabaseArgs.core). Defaults to "single". */
    readonly core?: CoreMode;
    /** The Kubernetes API server of the services' Secrets and CloudNativePG clusters (`servicedb:kubernetes`). Defaults to the ambient kubeconfig. */
    readonly kubernetes?: KubernetesSettings;
}

export interface PlatformFromConfigOptions {
    /** Folder with one sub-folder of migration files per service (`<folder>/<service>/V001__….sql`). Defaults to none. */
    readonly migrations?: string;
    /** Resource options of the Platform component. */
    readonly opts?: pulumi.ComponentResourceOptions;
}

function isRaw(c: PlatformConfig | RawPlatformConfig): c is RawPlatformConfig {
    return "clustersAreSecret" in c;
}

/** Admin passwords given in code as Inputs: taken out of the settings, handed to the servers as secrets. */
function splitPasswords(clusters: PlatformConfig["clusters"]): { plain: Record<string, unknown> | undefined; passwords: Record<string, pulumi.Input<string>> } {
    if (clusters === undefined) return { plain: undefined, passwords: {} };
    const passwords: Record<string, pulumi.Input<string>> = {};
    const plain = Object.fromEntries(Object.entries(clusters).map(([name, c]) => {
        const { adminPassword, ...rest } = c;
        if (adminPassword !== undefined) passwords[name] = adminPassword;
        return [name, rest];
    }));
    return { plain, passwords };
}

/**
 * Validates `config` and declares the platform. Throws a RunError listing every problem (service
 * or cluster, field, fix) before any resource is declared; warnings go to `pulumi.log.warn`.
 */
export function platformFromConfig(name: string, config: PlatformConfig | RawPlatformConfig, options: PlatformFromConfigOptions = {}): Platform {
    const typed = isRaw(config) ? undefined : splitPasswords(config.clusters);
    const raw: RawPlatformConfig = isRaw(config) ? config : {
        clusters: typed?.plain, services: config.services, clustersAreSecret: true,
        protect: config.protect, settings: config.settings, containerBasePort: config.containerBasePort, stack: config.stack ?? pulumi.getStack(), dockerHost: config.dockerHost, core: config.core, kubernetes: config.kubernetes,
    };
    const loader = options.migrations === undefined ? undefined : folderLoader(path.resolve(options.migrations));
    let spec;
    try {
        spec = planPlatform(raw, loader);
    } catch (e) {
        // RunError: Pulumi prints the message without a stack trace.
        if (e instanceof ConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
    for (const w of spec.warnings) pulumi.log.warn(w);
    return new Platform(name, {
        stack: raw.stack ?? pulumi.getStack(), clusters: spec.clusters, containers: spec.containers, services: spec.services,
        dockerHost: raw.dockerHost, poolers: spec.poolers, adminPasswords: typed?.passwords, core: spec.core, kubernetes: spec.kubernetes,
    }, options.opts);
}
