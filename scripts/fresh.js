// Whether the JavaScript `npm run build` compiled into bin/ is newer than every TypeScript source
// it is built from: then the program and the commands start from it, else from the sources.
"use strict";
const fs = require("fs");
const path = require("path");

const SOURCE_DIRS = ["lib", "src", "scripts", "components", "consumer"];

/** Newest modification time of the TypeScript under `root` that bin/ is built from. */
function newestSource(root) {
    let newest = 0;
    const walk = (dir) => {
        if (!fs.existsSync(dir)) return;
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
        }
    };
    for (const d of SOURCE_DIRS) walk(path.join(root, d));
    return Math.max(newest, fs.statSync(path.join(root, "index.ts")).mtimeMs);
}

/** True when `compiled` exists and the last build is at least as new as every source. */
function freshBuild(root, compiled) {
    const built = path.join(root, "bin", ".tsbuildinfo");
    return fs.existsSync(compiled) && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newestSource(root);
}

const ROOT = path.resolve(__dirname, "..");

/**
 * The one launcher of the program (program.js), the command (scripts/cli.js) and servicedb's
 * provider (plugin/pulumi-resource-servicedb): `bin/<compiled>` as `npm run build`
 * compiled it when that build is fresh, else `<source>` through ts-node, transpile only (type
 * checking is `npm test`'s job; PULUMI_NODEJS_TRANSPILE_ONLY=false asks for it, as of Pulumi's own
 * loader), registered once per process.
 */
function loadFresh(compiled, source, project = "tsconfig.json") {
    const built = path.join(ROOT, "bin", compiled);
    if (freshBuild(ROOT, built)) return require(built);
    if (!process[Symbol.for("ts-node.register.instance")]) {
        require("ts-node").register({ transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false", project: path.join(ROOT, project) });
    }
    return require(path.join(ROOT, source));
}

module.exports = { freshBuild, newestSource, loadFresh };
