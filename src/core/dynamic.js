// Entry point of the ServiceCore dynamic provider in this repository (an installed package
// resolves servicedb/internal/core-provider instead). The provider runs in its own Node process
// (working directory: the project) with no TypeScript loader: compiled or through ts-node
// (scripts/fresh.js, the one launcher).
"use strict";
module.exports = require("../../scripts/fresh").loadFresh("src/core/provider.js", "src/core/provider.ts", "tsconfig.pulumi.json");
