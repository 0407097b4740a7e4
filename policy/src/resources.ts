/**
 * The resource types the pack looks at, and how a message names a resource. The pack does not
 * depend on the provider SDKs: it matches type tokens, so it checks any program in any language.
 */
import { Props, Unknown } from "./values";

export const TYPES = {
    pgProvider: "pulumi:providers:postgresql",
    role: "postgresql:index/role:Role",
    database: "postgresql:index/database:Database",
    grant: "postgresql:index/grant:Grant",
    grantRole: "postgresql:index/grantRole:GrantRole",
    defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges",
    schema: "postgresql:index/schema:Schema",
    dockerProvider: "pulumi:providers:docker",
    container: "docker:index/container:Container",
    /** servicedb's one-step core (`servicedb:core: single`): logins, database and revokes in one resource of servicedb's provider. */
    serviceCore: "servicedb:core:ServiceCore",
    /** A declared read of one service by another (`reads:`): the parent of its grants with `servicedb:core: resources`. */
    serviceRead: "servicedb:postgres:ServiceRead",
} as const;

/** The provider a resource was registered with, as the engine describes it. */
export interface ProviderRef {
    readonly type?: string;
    readonly urn: string;
    readonly name: string;
    readonly props?: Props;
}

/** What the pack needs of a resource: a subset of @pulumi/policy's PolicyResource. */
export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Props;
    readonly provider?: ProviderRef;
    /** The component it was declared in (a grant of `reads:` is a child of a servicedb:postgres:ServiceRead). */
    readonly parent?: { readonly type: string; readonly urn: string };
    readonly propertyDependencies?: Readonly<Record<string, readonly { readonly type: string; readonly urn: string }[]>>;
}

/** A string-valued property as read: set, unset, or not known yet. */
export type Str = string | undefined | Unknown;

/** `postgresql:index/role:Role` → `postgresql.Role`; `pulumi:providers:postgresql` → `postgresql.Provider`. */
export function shortType(type: string): string {
    const provider = /^pulumi:providers:(.+)$/.exec(type);
    if (provider) return `${provider[1]}.Provider`;
    const parts = type.split(":");
    return parts.length === 3 ? `${parts[0]}.${parts[2]}` : type;
}

/** How every message starts: `postgresql.Role "orders-role"`, plus the object's own name when it differs. */
export function subject(type: string, name: string, object?: Str): string {
    const base = `${shortType(type)} "${name}"`;
    return typeof object === "string" && object !== name ? `${base} (${object})` : base;
}

/** The provider a resource uses, as a key: resources of one provider share one server. */
export function providerKey(r: { readonly provider?: ProviderRef }): string {
    return r.provider?.urn ?? "(default provider)";
}

/** Whether the engine made this provider up because the program named none. */
export function isDefaultProvider(p: ProviderRef): boolean {
    return /^default(_|$)/.test(p.name);
}

/** One violation of a stack policy: the message and the resource it is about. */
export interface Finding {
    readonly urn: string;
    readonly message: string;
}
