/** A run that stopped: names the file (when there is one) and the cause. */
export class MigrationError extends Error {
    constructor(message: string, readonly script?: string, readonly cause?: unknown) {
        super(message);
        this.name = "MigrationError";
    }
}

export function messageOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}
