/**
 * Two-phase password rotation. Every service has two login credentials: the owning role itself
 * (slot "a") and `<role>_b`, a member of it that becomes the owning role at login (`ALTER ROLE …
 * SET role`), so whatever either creates is owned by the owning role. `rotation` counts
 * rotations: each one regenerates only the slot that is *not* in use and switches the outputs to
 * it; the previous credential stays valid until the next rotation, so a consumer that still holds
 * it keeps logging in. Pure functions; components/serviceDatabase.ts declares the resources.
 *
 *   rotation:   0        1        2        3
 *   active:     a        b        a        b
 *   a keeper:   ""       ""       "2"      "2"      (a regenerated at 2, 4, …)
 *   b keeper:   "0"      "1"      "1"      "3"      (b regenerated at 1, 3, …)
 */
export interface Rotation {
    /** Rotations so far (0: never rotated). */
    readonly count: number;
}

export type Slot = "a" | "b";

export const NO_ROTATION: Rotation = { count: 0 };

/** The credential the outputs hand out. */
export function activeSlot(r: Rotation): Slot {
    return r.count % 2 === 0 ? "a" : "b";
}

/** The keeper of each slot's RandomPassword: it changes exactly when that slot is regenerated. */
export function rotationKeepers(r: Rotation): { readonly a: string; readonly b: string } {
    const n = r.count;
    return {
        a: n < 2 ? "" : String(n - (n % 2)),
        b: String(n % 2 === 1 ? n : Math.max(n - 1, 0)),
    };
}

/** The second login of a service. */
export function secondLogin(role: string): string {
    return `${role}_b`;
}

/** `rotation` from config: a whole number of rotations (a number, or its digits as a string); undefined otherwise. */
export function readRotation(raw: unknown): Rotation | undefined {
    if (raw === undefined || raw === null || raw === "") return NO_ROTATION;
    if (typeof raw === "number") return Number.isSafeInteger(raw) && raw >= 0 ? { count: raw } : undefined;
    return typeof raw === "string" && /^\d+$/.test(raw.trim()) ? { count: Number(raw.trim()) } : undefined;
}
