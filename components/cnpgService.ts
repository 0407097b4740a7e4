/**
 * A service on a CloudNativePG cluster: its two generated passwords as the `basic-auth` Secrets
 * its managed roles read, its `Database`, and the access Job that does what CloudNativePG does
 * not declare (src/kubernetes/access.ts). Every object is a child of the ServiceDatabase.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accessFiles, ACCESS_DIR, type Reader } from "../src/kubernetes/access";
import { CNPG_API_VERSION, databaseSpec } from "../src/kubernetes/cnpg";
import { accessConfigMapName, cnpgRwHost, accessJobName, databaseObjectName, rolePasswordSecret } from "../src/kubernetes/names";
import { activeSlot, rotationKeepers, secondLogin } from "../src/rotation";
import type { ServiceSpec } from "../src/spec";
import type { CnpgTarget } from "./cnpgCluster";
import { generatedPassword } from "./credentials";
import { servicedbLabels } from "./kubernetes";
import type { CoreResult } from "./serviceChain";
import type { DatabaseServer } from "./server";

export interface CnpgCoreArgs {
    readonly spec: ServiceSpec;
    readonly server: DatabaseServer & { readonly cnpg: CnpgTarget };
    readonly passwordLength: number;
    /** The services that read this one (`reads:`): their grants are part of this service's access Job. */
    readonly readBy: readonly Reader[];
}

export function declareCnpgCore(name: string, { spec, server, passwordLength, readBy }: CnpgCoreArgs, parent: pulumi.Resource): CoreResult {
    const t = server.cnpg;
    const k = { parent, provider: t.provider, dependsOn: [...t.namespaceReady] };
    const keepers = rotationKeepers(spec.rotation);
    const passwordA = generatedPassword(`${name}-password`, passwordLength, keepers.a, parent);
    const passwordB = generatedPassword(`${name}-password-b`, passwordLength, keepers.b, parent);
    const labels = servicedbLabels({ "servicedb.io/service": name, "cnpg.io/reload": "true" });
    const roleSecret = (login: string, password: pulumi.Output<string>, suffix: string) => new k8s.core.v1.Secret(`${name}-role${suffix}`, {
        metadata: { name: rolePasswordSecret(t.cluster, login), namespace: t.namespace, labels },
        type: "kubernetes.io/basic-auth",
        stringData: pulumi.secret(pulumi.all([password]).apply(([p]) => ({ username: login, password: p }))),
    }, { ...k, additionalSecretOutputs: ["data", "stringData"] });
    const secretA = roleSecret(spec.role, passwordA, "");
    const secretB = roleSecret(secondLogin(spec.role), passwordB, "-b");

    const database = new k8s.apiextensions.CustomResource(`${name}-database`, {
        apiVersion: CNPG_API_VERSION, kind: "Database",
        metadata: { name: databaseObjectName(t.cluster, name), namespace: t.namespace, labels: servicedbLabels({ "servicedb.io/service": name }) },
        spec: databaseSpec(t.cluster, spec),
    }, { ...k, dependsOn: [...k.dependsOn, ...server.ready], protect: spec.protect, retainOnDelete: spec.retainOnDelete });

    const { files, command } = accessFiles(spec, readBy, { host: cnpgRwHost(t.cluster, t.namespace), port: 5432 });
    const script = JSON.stringify(files);
    const configMap = new k8s.core.v1.ConfigMap(`${name}-access`, {
        metadata: { name: accessConfigMapName(t.cluster, name), namespace: t.namespace, labels: servicedbLabels({ "servicedb.io/service": name }) },
        data: files,
    }, k);
    const env = (variable: string, secret: string) => ({ name: variable, valueFrom: { secretKeyRef: { name: secret, key: "password" } } });
    const job = new k8s.batch.v1.Job(`${name}-access-job`, {
        metadata: {
            name: accessJobName(t.cluster, name, script), namespace: t.namespace, labels: servicedbLabels({ "servicedb.io/service": name }),
            // No kubelet is needed for `up` to finish: the Job's outcome is what `verify` proves (docs/kubernetes.md).
            annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
            backoffLimit: 6,
            template: {
                metadata: { labels: servicedbLabels({ "servicedb.io/service": name }) },
                spec: {
                    restartPolicy: "OnFailure",
                    securityContext: { runAsNonRoot: true, runAsUser: 26 },
                    containers: [{
                        name: "access", image: t.image, command: [...command],
                        env: [env("OWNER_PASSWORD", rolePasswordSecret(t.cluster, spec.role)), env("SECOND_PASSWORD", rolePasswordSecret(t.cluster, secondLogin(spec.role)))],
                        volumeMounts: [{ name: "access", mountPath: ACCESS_DIR, readOnly: true }],
                    }],
                    volumes: [{ name: "access", configMap: { name: configMap.metadata.name } }],
                },
            },
        },
    }, { ...k, dependsOn: [...k.dependsOn, database, secretA, secretB, configMap], deleteBeforeReplace: true });

    const active = activeSlot(spec.rotation);
    return {
        database: pulumi.output(spec.database),
        username: pulumi.output(active === "a" ? spec.role : secondLogin(spec.role)),
        password: active === "a" ? passwordA : passwordB,
        logins: [{ username: pulumi.output(spec.role), password: passwordA }, { username: pulumi.output(secondLogin(spec.role)), password: passwordB }],
        tail: job,
    };
}
