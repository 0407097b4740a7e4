/**
 * The two login credentials of a service (see src/rotation.ts): generated passwords, and the
 * second login `<role>_b` that becomes the owning role at login, so nothing it creates belongs to
 * it. Helpers of ServiceDatabase; every resource is its child.
 */
import * as pulumi from "@pulumi/pulumi";
import * as postgresql from "@pulumi/postgresql";
import * as random from "@pulumi/random";
import type { GuardValues } from "../src/settings/service";

/** A generated password of letters and digits (URL-safe), wrapped as a secret where it is made. */
export function generatedPassword(name: string, length: number, keeper: string, parent: pulumi.Resource): pulumi.Output<string> {
    const password = new random.RandomPassword(name, {
        length,
        special: false,
        minLower: 2,
        minUpper: 2,
        minNumeric: 2,
        keepers: { rotation: keeper },
    }, { parent });
    return pulumi.secret(password.result);
}

/** The attributes every login of a service has: nothing elevated, set explicitly. */
export const PLAIN_LOGIN = {
    login: true,
    superuser: false,
    createDatabase: false,
    createRole: false,
    replication: false,
    bypassRowLevelSecurity: false,
    inherit: true,
} as const;

export interface SecondLoginArgs {
    /** `<role>_b`. */
    readonly name: string;
    /** The owning role: the second login is its member and switches to it at login. */
    readonly owner: postgresql.Role;
    /** Secret: what the server stores (a SCRAM verifier). */
    readonly password: pulumi.Output<string>;
    readonly connectionLimit: pulumi.Input<number>;
    /** The guardrails the Role itself sets (roleGuards). */
    readonly guards: RoleGuards;
}

/** The guardrails the postgresql provider's Role sets itself; the others go through LoginSettings. */
export interface RoleGuards {
    readonly statementTimeout?: number;
    readonly idleInTransactionSessionTimeout?: number;
    readonly searchPaths?: string[];
}

export function roleGuards(g: GuardValues): RoleGuards {
    return {
        ...(g.statementTimeout === undefined ? {} : { statementTimeout: g.statementTimeout }),
        ...(g.idleInTransactionSessionTimeout === undefined ? {} : { idleInTransactionSessionTimeout: g.idleInTransactionSessionTimeout }),
        ...(g.searchPath === undefined ? {} : { searchPaths: [...g.searchPath] }),
    };
}

/**
 * `<role>_b`: LOGIN, member of the owning role, `ALTER ROLE … SET role = <owner>` (the provider's
 * `assumeRole`), so a session of it runs as the owning role: tables, sequences and migration
 * history it creates are owned by the owning role, exactly as if the owner had logged in.
 */
export function declareSecondLogin(resourceName: string, args: SecondLoginArgs, opts: pulumi.CustomResourceOptions): postgresql.Role {
    return new postgresql.Role(resourceName, {
        ...PLAIN_LOGIN,
        name: args.name,
        password: args.password,
        connectionLimit: args.connectionLimit,
        ...args.guards,
        roles: [args.owner.name],
        assumeRole: args.owner.name,
    }, opts);
}
