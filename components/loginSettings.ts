import * as pulumi from "@pulumi/pulumi";
import type { LoginSettingsInputs } from "../src/core/loginSettings";
import { loginSettingsParameters, loginSettingsValues } from "../src/guards";
import { secondLogin } from "../src/rotation";
import type { ServiceSpec } from "../src/spec";
import type { DatabaseServer } from "./server";
import { implementation } from "./serviceCore";

export const loginSettingsProvider = {
    async check(_olds: LoginSettingsInputs, news: LoginSettingsInputs) { return implementation().checkLoginSettings(news); },
    async read(id: string, props: LoginSettingsInputs) { return implementation().readLoginSettings(id, props); },
    async diff(_id: string, olds: LoginSettingsInputs, news: LoginSettingsInputs) { return implementation().diffLoginSettings(olds, news); },
    async create(inputs: LoginSettingsInputs) { return { id: `${inputs.host}:${inputs.port}/${inputs.logins[0]}/settings`, outs: await implementation().createLoginSettings(inputs) }; },
    async update(_id: string, olds: LoginSettingsInputs, news: LoginSettingsInputs) { return { outs: await implementation().updateLoginSettings(olds, news) }; },
    async delete(_id: string, props: LoginSettingsInputs) { await implementation().deleteLoginSettings(props); },
} satisfies pulumi.dynamic.ResourceProvider;

export type LoginSettingsArgs = { readonly [K in keyof LoginSettingsInputs]: pulumi.Input<LoginSettingsInputs[K]> };

/**
 * pulumi-nodejs:dynamic/servicedb:LoginSettings — with `core: resources`, the guardrails of a
 * service's logins that the postgresql provider's Role cannot set (src/core/loginSettings.ts).
 */
export class LoginSettings extends pulumi.dynamic.Resource {
    constructor(name: string, args: LoginSettingsArgs, opts?: pulumi.CustomResourceOptions) {
        const props = { ...args, adminPassword: args.adminPassword === undefined ? undefined : pulumi.secret(args.adminPassword) };
        super(loginSettingsProvider, name, props, { ...opts, additionalSecretOutputs: ["adminPassword"] }, "servicedb", "LoginSettings");
    }
}

/** `<name>-settings`, when the service declares one of those parameters (else nothing: programs in other languages run no dynamic provider). */
export function declareLoginSettings(name: string, spec: ServiceSpec, s: DatabaseServer, opts: pulumi.CustomResourceOptions): LoginSettings | undefined {
    const managed = loginSettingsParameters(s.superuser);
    const parameters = loginSettingsValues(spec.settings, s.superuser);
    if (Object.keys(parameters).length === 0) return undefined;
    return new LoginSettings(`${name}-settings`, {
        host: s.host, port: s.port, adminUser: s.adminUser, adminPassword: s.adminPassword, sslmode: s.sslmode, sslrootcert: s.sslrootcert,
        maintenanceDatabase: s.maintenanceDatabase, superuser: s.superuser, parallelism: s.parallelism, reservedConnections: s.reservedConnections,
        logins: [spec.role, secondLogin(spec.role)], parameters, managed,
    }, opts);
}
