#!/usr/bin/env node
// `npm run <command> -- …` → `node scripts/cli.js <command> …` → the servicedb command
// (scripts/servicedb.ts), compiled or through ts-node (scripts/fresh.js, the one launcher).
"use strict";
require("./fresh").loadFresh("scripts/servicedb.js", "scripts/servicedb.ts");
