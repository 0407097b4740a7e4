// The two peers ship ESM-only typings that this project's CommonJS module resolution cannot see
// (Node 20 loads them with require(esm)). These are the parts the benchmark uses.
declare module "node-pg-migrate" {
    import type { ClientBase } from "pg";
    export function runner(options: {
        dbClient: ClientBase;
        dir: string;
        direction: "up" | "down";
        migrationsTable: string;
        log?: (msg: string) => void;
        checkOrder?: boolean;
    }): Promise<unknown[]>;
}

declare module "postgrator" {
    export default class Postgrator {
        constructor(options: {
            migrationPattern: string;
            driver: "pg";
            database: string;
            execQuery: (query: string) => Promise<{ rows: unknown[] }>;
        });
        migrate(target?: string): Promise<unknown[]>;
    }
}
