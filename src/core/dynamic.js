// Entry point of the ServiceCore dynamic provider (as src/migrations/dynamic.js is of
// ServiceMigrations): the provider's own Node process has no TypeScript loader, so register
// ts-node once (transpile only) and load the implementation.
"use strict";
if (!process[Symbol.for("ts-node.register.instance")]) {
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
}
module.exports = require("./provider.ts");
