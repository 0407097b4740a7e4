/**
 * Calls policies the way the analyzer does: properties behind @pulumi/policy's own
 * unknown-checking proxy, a provider reference, config, and a collecting reportViolation.
 */
import {
    Policy, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy,
} from "@pulumi/policy";
import { TYPES } from "../src/resources";

/** The engine's marker for a string not known yet (an output of a resource still to be created). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Fake {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    /** The provider resource this one goes through. */
    readonly provider?: Fake;
    /** Property → the resources its value came from. */
    readonly deps?: Record<string, readonly Fake[]>;
    /** The component it was declared in. */
    readonly parent?: Fake;
}

export const urnOf = (f: Fake) => `urn:pulumi:test::servicedb::${f.type}::${f.name}`;

const OPTS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

function common(f: Fake, config: object) {
    return {
        type: f.type, name: f.name, urn: urnOf(f), props: unknownCheckingProxy(f.props) as Record<string, unknown>, opts: OPTS,
        provider: f.provider && { type: f.provider.type, name: f.provider.name, urn: urnOf(f.provider), props: unknownCheckingProxy(f.provider.props) as Record<string, unknown> },
        stackTags: new Map<string, string>(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => { throw new Error(`not applicable: ${reason}`); },
    };
}

/** The messages a resource policy reports for one resource. */
export async function runResource(policy: ResourceValidationPolicy, f: Fake, config: object = {}): Promise<string[]> {
    const found: string[] = [];
    const args: ResourceValidationArgs = { ...common(f, config), isType: () => false, asType: () => undefined };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const v of validations) await v?.(args, (message) => found.push(message));
    return found;
}

function toPolicyResource(f: Fake): PolicyResource {
    const deps = Object.fromEntries(Object.entries(f.deps ?? {}).map(([k, rs]) => [k, rs.map(toPolicyResource)]));
    return {
        ...common(f, {}), dependencies: Object.values(deps).flat(), propertyDependencies: deps, isType: () => false, asType: () => undefined,
        ...(f.parent ? { parent: toPolicyResource(f.parent) } : {}),
    };
}

/** What a stack policy reports over a stack of resources: "<resource name>: <message>". */
export async function runStack(policy: StackValidationPolicy, resources: readonly Fake[], config: object = {}): Promise<string[]> {
    const found: string[] = [];
    const byUrn = new Map(resources.map((r) => [urnOf(r), r.name]));
    const all = resources.map(toPolicyResource);
    await policy.validateStack({ resources: all, stackTags: new Map(), getConfig: <T extends object>() => config as T, notApplicable: (r?: string): never => { throw new Error(String(r)); } },
        (message, urn) => found.push(`${urn ? byUrn.get(urn) ?? urn : "(stack)"}: ${message}`));
    return found;
}

/** Runs every policy of a pack over a stack: resource policies on each resource, then stack policies. */
export async function runAll(policies: readonly Policy[], resources: readonly Fake[], config: Record<string, object> = {}): Promise<string[]> {
    const found: string[] = [];
    for (const p of policies) {
        if ("validateStack" in p) found.push(...(await runStack(p as StackValidationPolicy, resources, config[p.name])).map((m) => `[${p.name}] ${m}`));
        else for (const r of resources) found.push(...(await runResource(p as ResourceValidationPolicy, r, config[p.name])).map((m) => `[${p.name}] ${r.name}: ${m}`));
    }
    return found;
}

/** A postgresql provider with servicedb's settings, JSON-encoded as providers' inputs are. */
export function pgProvider(name: string, props: Record<string, unknown> = {}): Fake {
    return { type: TYPES.pgProvider, name, props: { host: "127.0.0.1", port: "5432", username: "postgres", sslmode: "disable", maxConnections: "4", superuser: "true", ...props } };
}
