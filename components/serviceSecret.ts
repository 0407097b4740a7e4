/**
 * A service's connection as a Kubernetes Secret in its own namespace (`kubernetes:`), a child of
 * its ServiceDatabase. It holds the active login, so it follows a rotation; every value is a
 * secret in state and outputs.
 */
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { secretData } from "../src/kubernetes/secret";
import type { SecretValues } from "../src/settings/kubernetes";
import { servicedbLabels, type KubernetesTarget } from "./kubernetes";
import type { DatabaseServer } from "./server";
import type { ServiceDatabase } from "./serviceDatabase";

export interface ServiceSecretArgs {
    readonly secret: SecretValues;
    readonly db: ServiceDatabase;
    readonly server: DatabaseServer;
    /** Rotations so far: an annotation a Deployment can copy to roll its pods. */
    readonly rotation: number;
    readonly pooledUrl?: pulumi.Output<string>;
    readonly reads: readonly { readonly service: string; readonly database: string; readonly pooledUrl?: pulumi.Output<string> }[];
    readonly kubernetes: KubernetesTarget;
}

export function declareServiceSecret(name: string, a: ServiceSecretArgs): k8s.core.v1.Secret {
    const ca = a.server.sslrootcert && fs.existsSync(a.server.sslrootcert) ? fs.readFileSync(a.server.sslrootcert, "utf8") : undefined;
    const reads = a.reads.map((r) => pulumi.all([r.service, r.database, r.pooledUrl ?? ""]).apply(([service, database, pooledUrl]) => ({ service, database, ...(pooledUrl ? { pooledUrl } : {}) })));
    const data = pulumi.all([a.db.host, a.db.port, a.db.database, a.db.username, a.db.password, a.pooledUrl ?? "", pulumi.all(reads)])
        .apply(([host, port, database, username, password, pooledUrl, r]) => secretData({
            host, port, database, username, password, sslmode: a.server.sslmode, ...(ca ? { ca } : {}), ...(pooledUrl ? { pooledUrl } : {}), reads: r,
        }));
    return new k8s.core.v1.Secret(`${name}-secret`, {
        metadata: {
            name: a.secret.secretName, namespace: a.secret.namespace,
            labels: servicedbLabels({ "servicedb.io/service": name }),
            annotations: { "servicedb.io/rotation": String(a.rotation) },
        },
        type: "Opaque",
        stringData: pulumi.secret(data),
    }, { parent: a.db, provider: a.kubernetes.provider, dependsOn: a.kubernetes.namespaceReady(a.secret.namespace), additionalSecretOutputs: ["data", "stringData"] });
}
