/**
 * Where a platform's service lives: `cluster` (a key of `servicedb:clusters`) or `container` (a
 * PostgreSQL server of its own), exactly one of the two.
 */
import { isObject } from "../fields";
import type { ContainerRequest } from "../spec";
import { custom } from "./kinds";
import { CONTAINER_SETTINGS } from "./server";
import { readSettings, type Declaration, type InputOf } from "./setting";
import type { ServiceOwner } from "./service";

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== false;

export const PLACEMENT_SETTINGS = {
    cluster: custom<string | undefined, string, ServiceOwner>({
        doc: "The key of `servicedb:clusters` that hosts it.", defaultDoc: "— (required unless `container` is set)", wire: "string",
        read: (r, k, { raw, outer }) => {
            if (!given(raw.container)) return r.string(k) ?? "";
            if (raw[k] !== undefined) {
                r.problems.push({ subject: outer.subject, field: "container", problem: "is set together with cluster; a service lives either in a shared cluster or in its own container", fix: `remove ${outer.path}.cluster or ${outer.path}.container` });
            }
            return undefined;
        },
    }),
    container: custom<ContainerRequest | undefined, InputOf<typeof CONTAINER_SETTINGS> | true, ServiceOwner>({
        doc: "A PostgreSQL server of its own, in a Docker container (`{}` or `true` for the defaults).", defaultDoc: "none",
        wire: { nested: "Container", settings: CONTAINER_SETTINGS },
        read: (r, k, { raw, outer }) => {
            const v = raw[k];
            if (!given(v)) return undefined;
            if (v !== true && !isObject(v)) {
                r.problems.push({ subject: outer.subject, field: k, problem: `must be a map of settings (or true), got ${JSON.stringify(v)}`, fix: `write ${outer.path}.${k} as a map, e.g. { port: 5433 }` });
                return { ...readSettings(CONTAINER_SETTINGS, r.nested({}, `${k}.`), {}, outer, [], false), name: outer.name };
            }
            const obj = v === true ? {} : v;
            const inner = { subject: outer.subject, path: outer.path, prefix: `${k}.` };
            const values = readSettings(CONTAINER_SETTINGS, r.nested(obj, inner.prefix), obj, inner);
            return { ...values, name: values.name ?? outer.name };
        },
    }),
} satisfies Declaration<ServiceOwner>;
