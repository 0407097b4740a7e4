/** Entry point of `npm run verify`; see src/verify/cli.ts. */
import { runVerify } from "../src/verify/cli";

runVerify(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
}).then((code) => { process.exitCode = code; });
