/** @type {import('jest').Config} */
module.exports = {
    preset: "ts-jest",
    testEnvironment: "node",
    roots: ["<rootDir>/test", "<rootDir>/examples", "<rootDir>/policy"],
    testMatch: ["**/*.test.ts"],
    transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: { warnOnly: false }, isolatedModules: false }] },
    testTimeout: 60000,
    // Builds bin/ when it is stale: the command tests run the compiled servicedb command.
    globalSetup: "<rootDir>/test/globalSetup.js",
    // The examples import the package by name, as its users do; here that is the repository's source.
    moduleNameMapper: { "^servicedb$": "<rootDir>/lib/index.ts", "^servicedb/consumer$": "<rootDir>/consumer/index.ts" },
};
