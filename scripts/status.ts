/** Entry point of `npm run status`; see src/status/cli.ts. Ctrl-C ends --watch cleanly. */
import { runStatus } from "../src/status/cli";

const stop = new AbortController();
process.once("SIGINT", () => stop.abort());

runStatus(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    write: (t) => process.stdout.write(t),
    isTty: Boolean(process.stdout.isTTY),
    signal: stop.signal,
}).then((code) => { process.exitCode = code; });
