/**
 * Providers: TLS that verifies the server for every non-loopback host, explicit providers only
 * (no default provider built from whoever runs pulumi), and one postgresql provider per server.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourcePolicy, stackPolicy } from "./define";
import { Finding, isDefaultProvider, shortType, StackResource, subject, TYPES } from "./resources";
import { isLoopback, num, Props, str, Unknown, UNKNOWN } from "./values";

export const VERIFYING_SSLMODES = ["verify-full", "verify-ca"];

export interface TlsConfig {
    /** Hosts that may be reached without verified TLS (e.g. a container on a private Docker network). */
    readonly allowedHosts?: readonly string[];
}

/** What is wrong with a postgresql provider's TLS settings (empty: nothing). */
export function tlsProblems(props: Props, config: TlsConfig = {}): string[] {
    const host = str(props, "host") ?? "localhost"; // the provider's own default
    const sslmode = str(props, "sslmode");
    if (host === UNKNOWN || sslmode === UNKNOWN || isLoopback(host) || (config.allowedHosts ?? []).includes(host)) return [];
    if (sslmode !== undefined && VERIFYING_SSLMODES.includes(sslmode)) return [];
    return [`sslmode is ${sslmode === undefined ? "unset" : `"${sslmode}"`} for host "${host}" — traffic to a remote server must be encrypted and the server verified; `
        + `set sslmode: "verify-full" (or "verify-ca") and sslrootcert to the server's CA bundle, or list the host in this policy's allowedHosts`];
}

const TLS_CONFIG_SCHEMA = { properties: { allowedHosts: { type: "array" as const, items: { type: "string" as const }, description: "Hosts that may be reached without verified TLS." } } };

export const providerTls = resourcePolicy<TlsConfig>({
    name: "postgresql-provider-tls",
    description: "A postgresql provider uses sslmode verify-full or verify-ca for every host that is not loopback or a unix socket.",
    enforcementLevel: "mandatory",
    configSchema: TLS_CONFIG_SCHEMA,
    type: TYPES.pgProvider,
    problems: tlsProblems,
});

export const serviceCoreTls = resourcePolicy<TlsConfig>({
    name: "servicedb-core-tls",
    description: "A servicedb ServiceCore (servicedb:core single) reaches its server with sslmode verify-full or verify-ca unless the host is loopback or a unix socket.",
    enforcementLevel: "mandatory",
    configSchema: TLS_CONFIG_SCHEMA,
    type: TYPES.serviceCore,
    problems: tlsProblems,
});

/** The stack's ServiceCores grouped by server. */
export function coresByServer(resources: readonly StackResource[]): Map<string, StackResource[]> {
    return byServer(resources, TYPES.serviceCore);
}

/** Whether a resource belongs to a package this pack watches. */
export const watched = (type: string) => /^(postgresql|docker):/.test(type);

export const noDefaultProviders: ResourceValidationPolicy = {
    name: "no-default-providers",
    description: "Every postgresql:* and docker:* resource names its provider explicitly; default providers are disabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (!watched(args.type) || !args.provider || !isDefaultProvider(args.provider)) return;
        const pkg = args.type.split(":")[0];
        report(`${subject(args.type, args.name)}: uses the default ${pkg} provider, built from the environment of whoever runs pulumi — `
            + `pass provider: explicitly and list ${pkg} under pulumi:disable-default-providers in Pulumi.yaml.`);
    },
};

/** `host:port` of a postgresql provider, loopback spelled one way; UNKNOWN while not known. */
export function serverKey(props: Props): string | Unknown {
    const host = str(props, "host") ?? "localhost";
    const port = num(props, "port") ?? 5432;
    if (host === UNKNOWN || port === UNKNOWN) return UNKNOWN;
    const h = host.toLowerCase();
    return `${isLoopback(h) && !h.startsWith("/") ? "127.0.0.1" : h}:${port}`;
}

/** The stack's resources of `type` grouped by the server their host and port name (unknown addresses left out). */
function byServer(resources: readonly StackResource[], type: string): Map<string, StackResource[]> {
    const groups = new Map<string, StackResource[]>();
    for (const r of resources.filter((x) => x.type === type)) {
        const key = serverKey(r.props);
        if (key !== UNKNOWN) groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    return groups;
}

/** The stack's postgresql providers grouped by server. */
export function providersByServer(resources: readonly StackResource[]): Map<string, StackResource[]> {
    return byServer(resources, TYPES.pgProvider);
}

/** Every provider after the first that reaches a server. */
export function sharedServerFindings(resources: readonly StackResource[]): Finding[] {
    return [...providersByServer(resources)].flatMap(([server, [first, ...rest]]) => rest.map((p) => ({
        urn: p.urn,
        message: `${subject(p.type, p.name)}: reaches ${server} like ${shortType(first.type)} "${first.name}" — each provider opens a connection pool of its own; `
            + "declare one provider per server and pass it to every resource on that server.",
    })));
}

export const oneProviderPerServer = stackPolicy({
    name: "postgresql-one-provider-per-server",
    description: "One postgresql provider per server: each provider is a process with a connection pool of its own.",
    enforcementLevel: "mandatory",
    findings: sharedServerFindings,
});
