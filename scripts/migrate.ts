/** Entry point of `npm run migrate`; see src/migrations/cli.ts. */
import { runCli } from "../src/migrations/cli";

runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    isTty: Boolean(process.stderr.isTTY),
}).then((code) => { process.exitCode = code; });
