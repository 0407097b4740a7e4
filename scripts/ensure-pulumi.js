#!/usr/bin/env node
// Prints the folder of the `pulumi` binary `npm run up` uses: the one on PATH if there is one,
// else the CLI of the SDK's own version (package-lock pins it), installed by the Automation API's
// PulumiCommand.install into ~/.pulumi/versions/<version> (SERVICEDB_PULUMI_ROOT overrides the
// folder) — a no-op when it is already there. Offline, one line says how to install it by hand.
"use strict";
const path = require("path");
const { execFileSync } = require("child_process");

function onPath() {
    try {
        execFileSync("pulumi", ["version"], { stdio: "ignore", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
        return true;
    } catch {
        return false;
    }
}

async function main() {
    if (!process.env.SERVICEDB_PULUMI_ROOT && onPath()) return; // nothing to print: PATH has it
    const { PulumiCommand } = require("@pulumi/pulumi/automation");
    const version = require("@pulumi/pulumi/package.json").version;
    const os = require("os");
    const root = process.env.SERVICEDB_PULUMI_ROOT ?? path.join(os.homedir(), ".pulumi", "versions", version);
    try {
        // No version given: the Automation API installs (and checks for) its own SDK version.
        const cli = await PulumiCommand.install({ root });
        process.stdout.write(`${path.dirname(cli.command)}\n`);
    } catch (e) {
        const why = String((e && e.message) || e).split("\n").find((l) => l.trim() !== "") ?? "unknown error";
        process.stderr.write(`servicedb: the Pulumi CLI is not on PATH and v${version} could not be installed into ${root} (${why.trim()}). ` +
            `Install it by hand (https://www.pulumi.com/docs/install/, version ${version}), put it on PATH, then run 'npm run up' again.\n`);
        process.exitCode = 1;
    }
}

main();
