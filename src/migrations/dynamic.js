// Entry point of the ServiceMigrations dynamic provider. Pulumi runs dynamic providers in a
// separate Node process (working directory: the project) that has no TypeScript loader, so
// register ts-node once (transpile only) and load the implementation.
"use strict";
if (!process[Symbol.for("ts-node.register.instance")]) {
    require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
}
module.exports = require("./provider.ts");
