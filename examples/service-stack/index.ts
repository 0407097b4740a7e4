/**
 * A consumer service stack: runs the orders service as a container whose DATABASE_URL comes from
 * the servicedb platform stack, and publishes a Kubernetes-style Secret manifest of the same
 * values. The database secrets stay secrets all the way.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { serviceDatabase } from "servicedb/consumer";
import { databaseEnv, kubernetesSecret } from "./env";

const config = new pulumi.Config();
const platformStack = config.require("platformStack");
const service = config.get("service") ?? "orders";
const image = config.require("image");

const db = serviceDatabase(platformStack, service);
const env = databaseEnv(db);

const provider = new docker.Provider("docker", {});
const app = new docker.Container(service, {
    image,
    name: `${service}-${pulumi.getStack()}`,
    envs: env.apply((vars) => Object.entries(vars).map(([k, v]) => `${k}=${v}`)),
    // The database port is published on the host's loopback: reach it from the container there.
    networkMode: "host",
    restart: "unless-stopped",
}, { provider, additionalSecretOutputs: ["envs"] });

export const containerName = app.name;
export const databaseHost = db.host;
/** A Secret manifest for clusters that run the service on Kubernetes instead (secret). */
export const secretManifest = kubernetesSecret(`${service}-database`, env);
