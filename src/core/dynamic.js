// Entry point of the ServiceCore dynamic provider in this repository (an installed package
// resolves servicedb/internal/core-provider instead). The provider runs in its own Node process
// (working directory: the project) with no TypeScript loader: it loads what `npm run build`
// compiled into bin/ when that build is fresh (as program.js does), else registers ts-node
// (transpile only) and loads the sources.
"use strict";
const path = require("path");
const { freshBuild } = require("../../scripts/fresh");

const root = path.resolve(__dirname, "../..");
const compiled = path.join(root, "bin", "src", "core", "provider.js");
if (freshBuild(root, compiled)) {
    module.exports = require(compiled);
} else {
    if (!process[Symbol.for("ts-node.register.instance")]) {
        require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
    }
    module.exports = require("./provider.ts");
}
