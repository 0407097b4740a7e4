/**
 * Every engine call of the e2e tier runs under a deadline: a hung `pulumi up` is a failure that
 * names the resources still in progress, never a test run that waits forever. On the deadline the
 * operation is aborted (the Automation API sends SIGINT, which the CLI answers by waiting for
 * in-flight steps: no help against a hung provider), and after a grace period every process
 * whose working directory is the project copy (the CLI, its language host and plugins) is killed.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { processesIn } from "../../src/repair/processes";

export { processesIn };

/** Resources whose step started and has neither finished nor failed, from the engine's events. */
export class InFlight {
    private readonly started = new Map<string, string>();

    readonly onEvent = (e: EngineEvent): void => {
        const pre = e.resourcePreEvent?.metadata;
        if (pre) this.started.set(pre.urn, pre.op);
        const done = e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
        if (done) this.started.delete(done.urn);
    };

    /** `op name (type)` per resource still in progress, in the order they started. */
    list(): string[] {
        return [...this.started].map(([urn, op]) => {
            const parts = urn.split("::");
            return `${op} ${parts[3] ?? urn} (${(parts[2] ?? "").split("$").pop()})`;
        });
    }
}

/** The options every Automation API call of the tier gets. */
export interface EngineCallOptions {
    readonly signal: AbortSignal;
    readonly onEvent: (e: EngineEvent) => void;
    readonly onOutput: (out: string) => void;
}

export class EngineTimeout extends Error {}

/**
 * Runs one engine call with a deadline. `dir` is the project copy the call runs in: on the
 * deadline its processes are killed, and the error names the resources still in progress.
 */
export async function withDeadline<T>(what: string, seconds: number, dir: string, call: (o: EngineCallOptions) => Promise<T>, graceSeconds = 15): Promise<T> {
    const controller = new AbortController();
    const inFlight = new InFlight();
    let pending: string[] | undefined;
    const timers: NodeJS.Timeout[] = [];
    const killAll = () => { for (const pid of processesIn(dir)) { try { process.kill(pid, "SIGKILL"); } catch { /* gone */ } } };
    // Settles only after the deadline and the grace period, once everything in `dir` is killed.
    const killed = new Promise<void>((resolve) => {
        timers.push(setTimeout(() => {
            pending = inFlight.list();
            controller.abort();
            timers.push(setTimeout(() => { killAll(); resolve(); }, graceSeconds * 1000));
        }, seconds * 1000));
    });
    const timeout = () => new EngineTimeout(`${what} did not finish within ${seconds} s; still in progress: ${pending?.length ? pending.join(", ") : "(no resource step: the program or the engine itself)"}`);
    try {
        const result = await Promise.race([call({ signal: controller.signal, onEvent: inFlight.onEvent, onOutput: (o) => process.stderr.write(o) }), killed]);
        if (pending) throw timeout();
        return result as T;
    } catch (e) {
        throw pending ? timeout() : e;
    } finally {
        timers.forEach(clearTimeout);
        if (pending) killAll();
    }
}
