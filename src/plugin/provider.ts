/**
 * servicedb's resource provider: what the engine calls for servicedb's custom resources
 * (src/plugin/types.ts), through `@pulumi/pulumi/provider`'s public Provider interface. One
 * process per server's provider resource (components/servicedbProvider.ts); every operation of
 * a resource type goes to its handler (src/plugin/handlers.ts), with secrets unwrapped on the
 * way in and sealed again on the way out (src/plugin/secrets.ts).
 */
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import { Handler, HANDLERS } from "./handlers";
import { openSecrets, Props } from "./secrets";
import { typeOfUrn } from "./types";

function handlerOf(urn: string): Handler {
    const type = typeOfUrn(urn);
    const h = HANDLERS[type];
    if (!h) throw new Error(`servicedb provider: unknown resource type ${type} (${urn})`);
    return h;
}

/** The Provider the plugin serves (`version`: the servicedb package's). */
export function servicedbProvider(version: string): pulumiProvider.Provider {
    return {
        version,
        async check(urn: string, _olds: Props, news: Props) {
            const h = handlerOf(urn);
            const s = openSecrets(news);
            return { inputs: s.seal((h.check ? h.check(s.values) : { inputs: s.values }).inputs as Props) };
        },
        async diff(_id: string, urn: string, olds: Props, news: Props) {
            return handlerOf(urn).diff(openSecrets(olds).values, openSecrets(news).values);
        },
        async create(urn: string, inputs: Props) {
            const s = openSecrets(inputs);
            const { id, outs } = await handlerOf(urn).create(s.values);
            return { id, outs: s.seal(outs as Props) };
        },
        async read(id: string, urn: string, props: Props = {}) {
            const s = openSecrets(props);
            const r = await handlerOf(urn).read(id, s.values);
            return { id: r.id, props: s.seal(r.props as Props), inputs: s.seal(r.inputs as Props) };
        },
        async update(_id: string, urn: string, olds: Props, news: Props) {
            const s = openSecrets(news);
            return { outs: s.seal(await handlerOf(urn).update(openSecrets(olds).values, s.values) as Props) };
        },
        async delete(_id: string, urn: string, props: Props) {
            await handlerOf(urn).delete(openSecrets(props).values);
        },
    };
}
