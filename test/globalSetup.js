// Jest's globalSetup, run once before any test file. The tests that run the servicedb command as
// a process run the compiled one (bin/scripts/servicedb.js, what package.json "bin" installs), so
// bin/ must be current: when it is older than a TypeScript source (scripts/fresh.js, the check the
// launchers use), `tsc -p tsconfig.build.json` (= npm run build) brings it up to date here, with
// no test's timeout running. A build with type errors still emits; it is reported, not fatal (the
// type check is npm test's first step).
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { freshBuild } = require("../scripts/fresh");

const root = path.resolve(__dirname, "..");

module.exports = async function buildCommands() {
    if (freshBuild(root, path.join(root, "bin", "scripts", "servicedb.js"))) return;
    const tsc = require.resolve("typescript/bin/tsc");
    try {
        execFileSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
        // tsc leaves bin/.tsbuildinfo alone when no output changed (a source only touched): mark the build current.
        const now = new Date();
        fs.utimesSync(path.join(root, "bin", ".tsbuildinfo"), now, now);
    } catch (e) {
        const out = `${e.stdout ?? ""}${e.stderr ?? ""}`.trim().split("\n").slice(0, 10).join("\n");
        process.stderr.write(`\njest globalSetup: npm run build failed; the command tests run what it emitted:\n${out}\n`);
    }
};
