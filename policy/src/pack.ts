/**
 * Every policy of the pack, in the order the CLI lists them. Each has a default enforcement level
 * that a stack overrides through policy config (`{ "<policy name>": "advisory" }`, README).
 */
import { Policies } from "@pulumi/policy";
import { connectionBudget } from "./budget";
import { containerDataVolume, containerPorts } from "./containers";
import { crossServiceAccess } from "./crossService";
import { databaseOwner, databasePublicRevoke } from "./databases";
import { noDefaultProviders, oneProviderPerServer, providerTls, serviceCoreTls } from "./providers";
import { loginRoleAttributes, rolePassword, statementTimeout } from "./roles";

export const PACK_NAME = "servicedb-isolation";

export const policies: Policies = [
    loginRoleAttributes,
    rolePassword,
    statementTimeout,
    databasePublicRevoke,
    databaseOwner,
    crossServiceAccess,
    providerTls,
    serviceCoreTls,
    noDefaultProviders,
    oneProviderPerServer,
    connectionBudget,
    containerPorts,
    containerDataVolume,
];
