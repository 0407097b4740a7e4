#!/usr/bin/env node
// `npm run <command> -- …` → `node scripts/cli.js <command> …` → the servicedb command
// (scripts/servicedb.ts). Starts from the JavaScript that `npm run build` compiled into bin/ (run
// by `npm ci` through `prepare`) when it is newer than every TypeScript source (scripts/fresh.js,
// the check program.js and the dynamic providers use too); after an edit without a build, from
// the sources through ts-node (slower start).
"use strict";
const path = require("path");
const { freshBuild } = require("./fresh");

const root = path.resolve(__dirname, "..");
const compiled = path.join(root, "bin", "scripts", "servicedb.js");
if (freshBuild(root, compiled)) {
    require(compiled);
} else {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
    require(path.join(root, "scripts", "servicedb.ts"));
}
