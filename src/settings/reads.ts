/**
 * `reads:` of a service: the services whose data it may read, each whole (`chat`) or narrowed
 * to some of its schemas (`chat.messages`). Checked against the platform in src/reads.ts.
 */
import { custom } from "./kinds";
import type { Setting } from "./setting";

/** One service read: all its schemas (`schemas` undefined) or those listed. */
export interface ReadSpec {
    readonly service: string;
    readonly schemas?: readonly string[];
}

const ENTRY = /^([a-z0-9][a-z0-9_-]*)(?:\.([A-Za-z_][A-Za-z0-9_$]*))?$/;

/** The entries grouped by service, in the order first named; a whole read absorbs narrowed ones. */
export function groupReads(entries: readonly { service: string; schema?: string }[]): ReadSpec[] {
    const order: string[] = [];
    const schemas = new Map<string, Set<string> | "all">();
    for (const e of entries) {
        if (!schemas.has(e.service)) order.push(e.service);
        const had = schemas.get(e.service);
        if (e.schema === undefined || had === "all") schemas.set(e.service, "all");
        else schemas.set(e.service, new Set([...(had ?? []), e.schema]));
    }
    return order.map((service) => {
        const s = schemas.get(service);
        return s === "all" || s === undefined ? { service } : { service, schemas: [...s] };
    });
}

export function readsSetting<C>(): Setting<readonly ReadSpec[], readonly string[], C> {
    return custom({
        doc: "Services whose data it may read: `chat` (every schema of it) or `chat.messages` (one schema). Both logins may CONNECT and SELECT every table and view there, including tables created later; nothing else.",
        defaultDoc: "`[]`", wire: "string[]",
        read: (r, k) => {
            const list = r.stringList(k, []);
            const entries = list.flatMap((e) => {
                const m = ENTRY.exec(e);
                if (m) return [{ service: m[1], schema: m[2] }];
                r.add(k, `"${e}" is not a service name, or a service name and one of its schemas (chat.messages)`, `write it as <service> or <service>.<schema> in ${r.pathOf(k)}`);
                return [];
            });
            return groupReads(entries);
        },
    });
}
