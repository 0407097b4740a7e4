// The Pulumi program's entry (Pulumi.yaml `main`; at the root, so the engine runs the program in the
// project directory): index.ts, compiled or through ts-node (scripts/fresh.js).
"use strict";
module.exports = require("./scripts/fresh").loadFresh("index.js", "index.ts", "tsconfig.pulumi.json");
