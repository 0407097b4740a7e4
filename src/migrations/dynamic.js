// Entry point of the ServiceMigrations dynamic provider in this repository (an installed package
// resolves servicedb/internal/migrations-provider instead). The provider runs in its own Node
// process (working directory: the project) with no TypeScript loader: compiled or through ts-node
// (scripts/fresh.js, the one launcher).
"use strict";
module.exports = require("../../scripts/fresh").loadFresh("src/migrations/provider.js", "src/migrations/provider.ts", "tsconfig.pulumi.json");
