/**
 * servicedb's isolation rules as a CrossGuard policy pack: run it with
 * `pulumi preview --policy-pack policy` (README, "Policy pack"). Constructing the pack starts
 * the analyzer server the CLI talks to, so tests import ./src/pack instead of this file.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./src/pack";

new PolicyPack(PACK_NAME, {
    description: "servicedb: a database per service, isolated — roles, databases, grants, providers, connection budget, containers.",
    policies,
});
