#!/usr/bin/env node
// `npm run <command> -- …` → scripts/<command>.ts. Starts from the JavaScript that `npm run build`
// compiled into bin/ (run by `npm ci` through `prepare`) when it is newer than every TypeScript
// source; after an edit without a build, from the sources through ts-node (slower start).
"use strict";
const fs = require("fs");
const path = require("path");
const { freshBuild } = require("./fresh");

const root = path.resolve(__dirname, "..");
const [command, ...args] = process.argv.slice(2);
const source = path.join(root, "scripts", `${command}.ts`);
if (!command || !fs.existsSync(source)) {
    process.stderr.write(`servicedb: no such command: ${command ?? "(none)"}\n`);
    process.exit(2);
}

const compiled = path.join(root, "bin", "scripts", `${command}.js`);
const fresh = freshBuild(root, compiled);
process.argv = [process.argv[0], fresh ? compiled : source, ...args];
if (fresh) {
    require(compiled);
} else {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
    require(source);
}
