#!/usr/bin/env node
// `npm run <command> -- …` → scripts/<command>.ts. Starts from the JavaScript that `npm run build`
// compiled into bin/ (run by `npm ci` through `prepare`) when it is newer than every TypeScript
// source; after an edit without a build, from the sources through ts-node (slower start).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const [command, ...args] = process.argv.slice(2);
const source = path.join(root, "scripts", `${command}.ts`);
if (!command || !fs.existsSync(source)) {
    process.stderr.write(`servicedb: no such command: ${command ?? "(none)"}\n`);
    process.exit(2);
}

/** Newest modification time of the TypeScript the commands are built from. */
function newestSource() {
    let newest = 0;
    const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
        }
    };
    for (const d of ["src", "scripts", "components"]) walk(path.join(root, d));
    return Math.max(newest, fs.statSync(path.join(root, "index.ts")).mtimeMs);
}

const compiled = path.join(root, "bin", "scripts", `${command}.js`);
const built = path.join(root, "bin", ".tsbuildinfo");
const fresh = fs.existsSync(compiled) && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource();
process.argv = [process.argv[0], fresh ? compiled : source, ...args];
if (fresh) {
    require(compiled);
} else {
    require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
    require(source);
}
