/** Entry point of `npm run backup`; see src/backup/cli.ts. */
import { runBackup } from "../src/backup/cli";

runBackup(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
}).then((code) => { process.exitCode = code; });
