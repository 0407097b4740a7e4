/**
 * The machine's server trusts every local login. To prove that a wrong password is refused, a
 * test adds scram-sha-256 lines for its own roles at the top of pg_hba.conf, reloads, and puts
 * the file back afterwards.
 */
import * as fs from "fs";
import { Client } from "pg";
import { asAdmin } from "./scratch";

export async function withScramFor<T>(roles: readonly string[], fn: () => Promise<T>): Promise<T> {
    const file = await asAdmin(async (c) => (await c.query("SHOW hba_file")).rows[0].hba_file as string);
    const original = fs.readFileSync(file, "utf8");
    const lines = roles.flatMap((r) => [`host all ${r} 127.0.0.1/32 scram-sha-256`, `host all ${r} ::1/128 scram-sha-256`]);
    fs.writeFileSync(file, `# servicedb test (temporary)\n${lines.join("\n")}\n${original}`);
    try {
        await reloadAndWait(roles[0]);
        return await fn();
    } finally {
        fs.writeFileSync(file, original);
        await asAdmin((c) => c.query("SELECT pg_reload_conf()"));
    }
}

/** Reloads and waits until a wrong password for `role` is really refused. */
async function reloadAndWait(role: string): Promise<void> {
    await asAdmin((c) => c.query("SELECT pg_reload_conf()"));
    for (let i = 0; i < 50; i++) {
        const c = new Client({ host: "127.0.0.1", port: 5432, user: role, password: "certainly-wrong", database: "postgres" });
        const refused = await c.connect().then(() => false, (e: { code?: string }) => e.code === "28P01");
        await c.end().catch(() => undefined);
        if (refused) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("pg_hba.conf reload did not take effect: a wrong password was still accepted");
}
