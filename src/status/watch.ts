/**
 * `status --watch`: a new frame every interval until stopped (Ctrl-C). On a terminal each frame
 * replaces the last (cursor home, clear screen); elsewhere (a pipe, a log) frames follow one
 * another, separated by a blank line.
 */

export const CLEAR = "\x1b[H\x1b[2J";

export interface WatchOptions {
    readonly intervalMs: number;
    readonly tty: boolean;
    write(text: string): void;
    /** Aborted by the caller (SIGINT) to stop after the current frame. */
    readonly signal: AbortSignal;
}

/** The text written for one frame. */
export function frameText(frame: string, tty: boolean): string {
    return tty ? `${CLEAR}${frame}\n` : `${frame}\n\n`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const done = () => { clearTimeout(timer); signal.removeEventListener("abort", done); resolve(); };
        const timer = setTimeout(done, ms);
        signal.addEventListener("abort", done);
    });
}

/** Renders frames until the signal aborts; returns how many were written. */
export async function watch(next: () => Promise<string>, opts: WatchOptions): Promise<number> {
    let frames = 0;
    while (!opts.signal.aborted) {
        const frame = await next();
        if (opts.signal.aborted) break;
        opts.write(frameText(frame, opts.tty));
        frames++;
        await sleep(opts.intervalMs, opts.signal);
    }
    return frames;
}
