/* eslint-disable @typescript-eslint/no-require-imports -- the dynamic provider loads its implementation at run time. */
/**
 * The bench's `bundled` prototype (bench/engine.bench.ts): N services on the local server, each
 * a component with two generated passwords and ONE dynamic resource doing the core SQL of
 * servicedb's ServiceDatabase (bench/bundled/core.ts), instead of six postgresql resources in a
 * chain. It measures what one provider step per service would buy; it is not servicedb.
 * Config: `bundled:services` (a count), `bundled:randomString` (RandomString, which computes no
 * bcrypt hash, instead of RandomPassword).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CoreInputs } from "./core";

type Impl = typeof import("./core");

/** The implementation, loaded in the provider's own process (working directory: the project copy). */
function implementation(): Impl {
    return require(require("path").resolve("bundled-core.js")) as Impl;
}

/** Runs in the provider's own process. Captures nothing but `implementation`. */
const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: CoreInputs) {
        await implementation().createCore(inputs);
        return { id: inputs.role, outs: inputs };
    },
    // The bench only creates, previews unchanged and destroys. A change would need an update (or
    // a replacement, which drops the database): refused rather than done wrong.
    async diff(_id: string, olds: CoreInputs, news: CoreInputs) {
        const changed = (Object.keys(news) as (keyof CoreInputs)[]).filter((k) => olds[k] !== news[k]);
        if (changed.length > 0) throw new Error(`bench prototype: ${changed.join(", ")} changed; it cannot update a deployed ServiceCore (destroy the bench stack)`);
        return { changes: false };
    },
    async delete(_id: string, props: CoreInputs) {
        await implementation().deleteCore(props);
    },
};

class ServiceCore extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<keyof CoreInputs, pulumi.Input<string | number>>, opts: pulumi.CustomResourceOptions) {
        super(provider, name, args, { ...opts, additionalSecretOutputs: ["passwordA", "passwordB"] }, "servicedb-bench", "ServiceCore");
    }
}

/** One service's component, as servicedb has one ServiceDatabase per service. */
class Service extends pulumi.ComponentResource {
    constructor(name: string) {
        super("servicedb-bench:index:Service", name, {});
    }
    done(outputs: pulumi.Inputs): void {
        this.registerOutputs(outputs);
    }
}

const config = new pulumi.Config("bundled");
const count = config.requireNumber("services");
const randomString = config.getBoolean("randomString") ?? false;
const name = (i: number) => `sdb_bench_${String(i).padStart(3, "0")}`;

function password(resourceName: string, parent: pulumi.Resource): pulumi.Output<string> {
    const args = { length: 40, special: false, minLower: 2, minUpper: 2, minNumeric: 2, keepers: { rotation: "0" } };
    const pw = randomString
        ? new random.RandomString(resourceName, args, { parent, additionalSecretOutputs: ["result"] })
        : new random.RandomPassword(resourceName, args, { parent });
    return pulumi.secret(pw.result);
}

const urls: Record<string, pulumi.Output<string>> = {};
for (let i = 0; i < count; i++) {
    const svc = `b-${i}`;
    const component = new Service(svc);
    const passwordA = password(`${svc}-password`, component);
    const passwordB = password(`${svc}-password-b`, component);
    const core = new ServiceCore(`${svc}-core`, {
        host: "127.0.0.1", port: 5432, adminUser: "postgres",
        role: name(i), secondLogin: `${name(i)}_b`, database: name(i), connectionLimit: 1, passwordA, passwordB,
    }, { parent: component });
    urls[svc] = pulumi.secret(pulumi.interpolate`postgresql://${core.id}:${passwordA}@127.0.0.1:5432/${name(i)}?sslmode=disable`);
    component.done({ url: urls[svc] });
}
export const databases = urls;
