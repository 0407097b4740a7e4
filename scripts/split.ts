/** Entry point of `npm run split`; see src/split/cli.ts. */
import { runSplit } from "../src/split/cli";

process.once("SIGINT", () => {
    // The table being copied rolls back with its transaction when the connections close.
    process.stderr.write("\nservicedb split: interrupted; tables already copied are kept, run the same command again to continue\n");
    process.exit(130);
});

runSplit(process.argv.slice(2), {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    write: (t) => process.stdout.write(t),
    isTty: process.stdout.isTTY === true,
}).then((code) => { process.exitCode = code; });
