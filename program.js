// The Pulumi program's entry (Pulumi.yaml `main`; at the root, so the engine runs the program and its
// dynamic providers in the project directory): index.ts as `npm run build` compiled it into
// bin/ when that build is newer than every TypeScript source (`npm ci`/`npm install` build it),
// else index.ts itself through ts-node, transpile only (tsconfig.pulumi.json). Either way no type
// checking on `pulumi up`: that is `npm test`'s job.
"use strict";
const path = require("path");
const { freshBuild } = require("./scripts/fresh");

const root = __dirname;
const compiled = path.join(root, "bin", "index.js");
if (freshBuild(root, compiled)) {
    module.exports = require(compiled);
} else {
    // PULUMI_NODEJS_TRANSPILE_ONLY=false asks for type checking, as it does of Pulumi's own loader.
    require("ts-node").register({ transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== "false", project: path.join(root, "tsconfig.pulumi.json") });
    module.exports = require(path.join(root, "index.ts"));
}
