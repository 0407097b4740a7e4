/**
 * Host ports for containers: explicit ones are kept; the others come from the base port plus a
 * hash of the container name (probing upwards on a clash, names in sorted order), so the same
 * config always yields the same ports and adding a container rarely moves another.
 */
export const PORT_SPAN = 1000;

function fnv1a(s: string): number {
    let h = 0x811c9dc5;
    for (const ch of Buffer.from(s, "utf8")) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
    return h;
}

export function assignPorts(containers: ReadonlyArray<{ name: string; port?: number }>, base: number): Map<string, number> {
    const ports = new Map<string, number>();
    const used = new Set<number>();
    for (const c of containers) {
        if (c.port !== undefined) { ports.set(c.name, c.port); used.add(c.port); }
    }
    for (const c of [...containers].filter((x) => x.port === undefined).sort((a, b) => a.name.localeCompare(b.name))) {
        let offset = fnv1a(c.name) % PORT_SPAN;
        while (used.has(base + offset)) offset = (offset + 1) % PORT_SPAN;
        ports.set(c.name, base + offset);
        used.add(base + offset);
    }
    return ports;
}
