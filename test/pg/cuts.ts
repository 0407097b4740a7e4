/**
 * Server faults on demand: runs an operation while counting the statements that the sessions it
 * opens send (those for which `mine` says yes), and terminates that session's backend
 * (`pg_terminate_backend`, as a restart or failover would) right after the k-th statement
 * completed. What the statement did stays done if it committed, and is rolled back otherwise.
 */
import { Client } from "pg";
import { asAdmin } from "./scratch";

interface Session { readonly processID?: number; readonly connectionParameters?: { readonly application_name?: string; readonly user?: string } }

/** What identifies the operation's sessions: e.g. the ServiceCore's application_name. */
export type Mine = (session: { applicationName?: string; user?: string }) => boolean;

export const coreSessions: Mine = (s) => s.applicationName === "servicedb core";

/**
 * Runs `op` with the k-th statement's session cut after it (k ≥ 1; 0: no cut). Returns how many
 * statements of its sessions ran, and the operation's value or its error.
 */
export async function withCutAfter<T>(k: number, mine: Mine, op: () => Promise<T>): Promise<{ statements: number; value?: T; error?: unknown }> {
    const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    let statements = 0;
    proto.query = function (this: Session, ...args: unknown[]) {
        const result = original.apply(this, args);
        const p = this.connectionParameters;
        if (!(result instanceof Promise) || !mine({ applicationName: p?.application_name, user: p?.user })) return result;
        return result.then(async (value: unknown) => {
            statements++;
            if (statements === k && this.processID) {
                const pid = this.processID;
                await asAdmin((c) => c.query("SELECT pg_terminate_backend($1)", [pid]));
                // The client sees the cut only at its next statement, as after a real restart.
                await new Promise((r) => setTimeout(r, 20));
            }
            return value;
        });
    };
    try {
        const value = await op();
        return { statements, value };
    } catch (error) {
        return { statements, error };
    } finally {
        proto.query = original;
    }
}
