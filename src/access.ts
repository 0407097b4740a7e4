/**
 * What services may do on a shared server: the reads between them (`reads:`) and the memory
 * their guardrails let them take (`settings.workMem` × `connectionLimit` against `memory`).
 * Pure checks, every problem at once, like the connection budget.
 */
import { ConfigProblem, clusterSubject, serviceSubject } from "./problems";
import type { ServiceSpec } from "./spec";

/** Share of a server's memory the services' work_mem may add up to (the rest: shared_buffers, the OS's cache, maintenance). */
export const MEMORY_SHARE = 0.25;

/** Every service another one reads declares its reader role (no `readers: true` needed). */
export function withImpliedReaders<S extends ServiceSpec>(services: readonly S[]): S[] {
    const read = new Set(services.flatMap((s) => s.reads.map((r) => r.service)));
    return services.map((s) => (read.has(s.name) && !s.readers ? { ...s, readers: true } : s));
}

/** Reads must name another service of the same server, and schemas it has. */
export function checkReads(services: readonly ServiceSpec[], clusters: readonly { readonly name: string }[]): ConfigProblem[] {
    const byName = new Map(services.map((s) => [s.name, s]));
    const where = (s: ServiceSpec) => (s.placement === "container" ? `container "${s.cluster}"` : `cluster "${s.cluster}"`);
    return services.flatMap((s) => s.reads.flatMap((r): ConfigProblem[] => {
        const subject = serviceSubject(s.name);
        const path = `servicedb:services.${s.name}.reads`;
        const target = byName.get(r.service);
        if (r.service === s.name) return [{ subject, field: "reads", problem: "names the service itself; its own data needs no grant", fix: `remove "${r.service}" from ${path}` }];
        if (!target) {
            const known = services.filter((x) => x.name !== s.name).map((x) => x.name);
            return [{ subject, field: "reads", problem: `names service "${r.service}", which servicedb:services does not define`, fix: known.length ? `use one of ${known.join(", ")}` : `remove "${r.service}" from ${path}` }];
        }
        if (target.cluster !== s.cluster || target.placement !== s.placement || (s.placement === "cluster" && !clusters.some((c) => c.name === s.cluster))) {
            return [{
                subject, field: "reads",
                problem: `names "${r.service}", which lives on ${where(target)} while "${s.name}" lives on ${where(s)}: a grant cannot cross servers`,
                fix: `put both on one server, or let "${s.name}" read "${r.service}" through that service's API (or a replica of its data on ${where(s)})`,
            }];
        }
        return (r.schemas ?? []).filter((x) => !target.schemas.includes(x)).map((x) => ({
            subject, field: "reads",
            problem: `names schema "${x}" of "${r.service}", which has only ${target.schemas.map((y) => `"${y}"`).join(", ")}`,
            fix: `read one of those schemas, or add "${x}" to servicedb:services.${r.service}.schemas`,
        }));
    }));
}

/** A server with a declared memory (MB): a cluster, or a container (subject and fix differ). */
export interface MemoryPool {
    readonly name: string;
    readonly memory?: number;
}

const mb = (kb: number): string => (kb % 1024 === 0 ? `${kb / 1024}MB` : `${kb}kB`);

/** With `memory` declared: Σ workMem × connectionLimit of the server's services must fit in MEMORY_SHARE of it. */
export function checkMemoryBudget(server: MemoryPool, services: readonly ServiceSpec[], kind: "cluster" | "container" = "cluster"): ConfigProblem[] {
    if (server.memory === undefined) return [];
    const mine = services.filter((s) => s.cluster === server.name && s.settings.workMem !== undefined);
    const parts = mine.map((s) => ({ s, kb: (s.settings.workMem ?? 0) * s.connectionLimit }));
    const need = parts.reduce((sum, p) => sum + p.kb, 0);
    const budget = Math.floor(server.memory * 1024 * MEMORY_SHARE);
    if (need <= budget) return [];
    const list = parts.map((p) => `${p.s.name}=${mb(p.s.settings.workMem ?? 0)}×${p.s.connectionLimit}=${mb(p.kb)}`).join(" + ");
    const raise = kind === "cluster" ? `or raise memory (and the server's) to ${Math.ceil(need / 1024 / MEMORY_SHARE)}MB` : `or raise container.memory to ${Math.ceil(need / 1024 / MEMORY_SHARE)}`;
    return [{
        subject: kind === "cluster" ? clusterSubject(server.name) : `container "${server.name}"`, field: "memory",
        problem: `the services' workMem × connectionLimit (${list} = ${mb(need)}) exceed a quarter of memory (${server.memory}MB / 4 = ${mb(budget)})`,
        fix: `lower some services' settings.workMem or connectionLimit by ${mb(need - budget)} in total, ${raise}`,
    }];
}

/** `temp_file_limit` is a superuser parameter: refused on a cluster whose admin is no superuser. */
export function checkGuards(services: readonly ServiceSpec[], clusters: readonly { readonly name: string; readonly superuser: boolean }[]): ConfigProblem[] {
    return services.flatMap((s) => {
        const c = clusters.find((x) => x.name === s.cluster);
        if (s.placement !== "cluster" || !c || c.superuser || s.settings.tempFileLimit === undefined) return [];
        return [{
            subject: serviceSubject(s.name), field: "settings.tempFileLimit",
            problem: `is set, but cluster "${c.name}" has superuser: false and only a superuser may set temp_file_limit on a role`,
            fix: `set servicedb:services.${s.name}.settings.tempFileLimit (or servicedb:settings.tempFileLimit) to none, and limit temp files in the server's own configuration (a parameter group)`,
        }];
    });
}
