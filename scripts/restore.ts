/** Entry point of `npm run restore`; see src/backup/cli.ts. */
import { runRestore } from "../src/backup/cli";

runRestore(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
}).then((code) => { process.exitCode = code; });
