#!/usr/bin/env node
/**
 * `servicedb <command> …`, the package's one command (package.json "bin" is this file compiled:
 * bin/scripts/servicedb.js; in this repository `npm run <command> -- …` reaches it through
 * scripts/cli.js). Each command's runner with this process's streams and signals; the command
 * line itself is src/cli/main.ts's and the parser's (src/cli/parse.ts).
 */
import { Runners, packageVersion, servicedb } from "../src/cli/main";

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
const write = (text: string) => process.stdout.write(text);

const runners: Runners = {
    migrate: async () => {
        const { runCli } = await import("../src/migrations/cli");
        return (argv) => runCli(argv, { out, err, isTty: Boolean(process.stderr.isTTY) });
    },
    verify: async () => {
        const { runVerify } = await import("../src/verify/cli");
        return (argv) => runVerify(argv, { out, err });
    },
    plan: async () => {
        const { runPlan } = await import("./plan");
        return async (argv) => runPlan(argv, { out, err, write });
    },
    "policy-config": async () => {
        const { runPolicyConfig } = await import("./policyConfig");
        return async (argv) => runPolicyConfig(argv, { out, err });
    },
    repair: async () => {
        const { runRepair } = await import("../src/repair/cli");
        return (argv) => runRepair(argv, { out, err }).catch((e: Error) => {
            err(`servicedb repair: ${e.message.split("\n")[0]}`);
            return 1;
        });
    },
    status: async () => {
        const { runStatus } = await import("../src/status/cli");
        // Ctrl-C ends --watch cleanly.
        const stop = new AbortController();
        process.once("SIGINT", () => stop.abort());
        return (argv) => runStatus(argv, { out, err, write, isTty: Boolean(process.stdout.isTTY), signal: stop.signal });
    },
    backup: async () => {
        const { runBackup } = await import("../src/backup/cli");
        return (argv) => runBackup(argv, { out, err });
    },
    restore: async () => {
        const { runRestore } = await import("../src/backup/cli");
        return (argv) => runRestore(argv, { out, err });
    },
    split: async () => {
        const { runSplit } = await import("../src/split/cli");
        process.once("SIGINT", () => {
            // The table being copied rolls back with its transaction when the connections close.
            err("\nservicedb split: interrupted; tables already copied are kept, run the same command again to continue");
            process.exit(130);
        });
        return (argv) => runSplit(argv, { out, err, write, isTty: process.stdout.isTTY === true });
    },
};

servicedb(process.argv.slice(2), { out, err }, runners, packageVersion(__dirname)).then((code) => {
    process.exitCode = code;
});
