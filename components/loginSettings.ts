import * as pulumi from "@pulumi/pulumi";
import type { LoginSettingsInputs } from "../src/core/loginSettings";
import { loginSettingsParameters, loginSettingsValues } from "../src/guards";
import { RESOURCE_TYPES } from "../src/plugin/types";
import { secondLogin } from "../src/rotation";
import type { ServiceSpec } from "../src/spec";
import { DatabaseServer, servicedbProviderOf } from "./server";
import type { ServicedbResourceOptions } from "./servicedbProvider";

export type LoginSettingsArgs = { readonly [K in keyof LoginSettingsInputs]: pulumi.Input<LoginSettingsInputs[K]> };

/**
 * servicedb:core:LoginSettings — with `core: resources`, the guardrails of a
 * service's logins that the postgresql provider's Role cannot set (src/core/loginSettings.ts).
 */
export class LoginSettings extends pulumi.CustomResource {
    constructor(name: string, args: LoginSettingsArgs, opts: ServicedbResourceOptions) {
        const props = { ...args, adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword) };
        super(RESOURCE_TYPES.loginSettings, name, props, { ...opts, additionalSecretOutputs: ["adminPassword"] });
    }
}

/** `<name>-settings`, when the service declares one of those parameters (else nothing). */
export function declareLoginSettings(name: string, spec: ServiceSpec, s: DatabaseServer, opts: pulumi.CustomResourceOptions): LoginSettings | undefined {
    const managed = loginSettingsParameters(s.superuser);
    const parameters = loginSettingsValues(spec.settings, s.superuser);
    if (Object.keys(parameters).length === 0) return undefined;
    return new LoginSettings(`${name}-settings`, {
        host: s.host, port: s.port, adminUser: s.adminUser, adminPassword: s.adminPassword, sslmode: s.sslmode, sslrootcert: s.sslrootcert,
        maintenanceDatabase: s.maintenanceDatabase, superuser: s.superuser, parallelism: s.parallelism, reservedConnections: s.reservedConnections,
        logins: [spec.role, secondLogin(spec.role)], parameters, managed,
    }, { ...opts, provider: servicedbProviderOf(s) });
}
