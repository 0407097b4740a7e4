/** Entry point of `npm run repair`; see src/repair/cli.ts. */
import { runRepair } from "../src/repair/cli";

runRepair(process.argv.slice(2), {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
}).then((code) => { process.exitCode = code; }, (e: Error) => {
    process.stderr.write(`servicedb repair: ${e.message.split("\n")[0]}\n`);
    process.exitCode = 1;
});
