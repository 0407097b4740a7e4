/**
 * The machine's server trusts every local login. Tests that need pg_hba.conf to say something
 * else (scram-sha-256 for a wrong password, `reject` for a login the catalog would allow) add a
 * block of lines for their own roles only at the top of pg_hba.conf, reload, wait until the
 * server applies it, and take exactly their block out again afterwards, even on failure.
 * Taking out only our block (instead of writing back a copy) keeps another process's block
 * intact if it edited the file meanwhile.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import { Client } from "pg";
import { asAdmin } from "./scratch";

/** Lines that make `roles` authenticate with scram-sha-256 over TCP. */
export const scramLines = (roles: readonly string[]): string[] => roles.flatMap((r) => [`host all ${r} 127.0.0.1/32 scram-sha-256`, `host all ${r} ::1/128 scram-sha-256`]);

/** Lines that make the server refuse `role` on `database` over TCP. */
export const rejectLines = (database: string, role: string): string[] => [`host ${database} ${role} 127.0.0.1/32 reject`, `host ${database} ${role} ::1/128 reject`];

/** How a connection attempt as `user` (password `password`) to `database` ends: "ok" or the SQLSTATE. */
export async function attempt(user: string, password: string, database: string): Promise<string> {
    const c = new Client({ host: "127.0.0.1", port: 5432, user, password, database });
    c.on("error", () => undefined);
    const outcome = await c.connect().then(() => "ok", (e: { code?: string }) => e.code ?? "error");
    await c.end().catch(() => undefined);
    return outcome;
}

const hbaFile = () => asAdmin(async (c) => (await c.query("SHOW hba_file")).rows[0].hba_file as string);
const reload = () => asAdmin((c) => c.query("SELECT pg_reload_conf()"));

/** Runs `fn` with `lines` at the top of pg_hba.conf, once `applied()` says the server uses them. */
export async function withHbaLines<T>(lines: readonly string[], applied: () => Promise<boolean>, fn: () => Promise<T>): Promise<T> {
    const file = await hbaFile();
    const marker = `# servicedb test ${randomBytes(4).toString("hex")} (temporary)`;
    const block = `${marker}\n${lines.join("\n")}\n${marker} end\n`;
    fs.writeFileSync(file, block + fs.readFileSync(file, "utf8"));
    try {
        await reload();
        for (let i = 0; !(await applied()); i++) {
            if (i >= 50) throw new Error(`pg_hba.conf reload did not take effect for: ${lines.join(" | ")}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        return await fn();
    } finally {
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(block, ""));
        await reload();
        // Best effort: wait until the server has dropped the lines too, so the next test sees the old rules.
        for (let i = 0; i < 50 && (await applied().catch(() => false)); i++) await new Promise((r) => setTimeout(r, 100));
    }
}

/** Runs `fn` while a wrong password for `roles` is really refused. */
export function withScramFor<T>(roles: readonly string[], fn: () => Promise<T>): Promise<T> {
    return withHbaLines(scramLines(roles), async () => (await attempt(roles[0], "certainly-wrong", "postgres")) === "28P01", fn);
}

/** Runs `fn` while the server refuses `role` on `database` (pg_hba.conf `reject`: SQLSTATE 28000). */
export function withRejected<T>(database: string, role: string, fn: () => Promise<T>): Promise<T> {
    return withHbaLines(rejectLines(database, role), async () => (await attempt(role, "", database)) === "28000", fn);
}
