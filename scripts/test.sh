#!/usr/bin/env bash
# The test command (`npm test`): type check, lint, then every jest tier — unit (mocks),
# pg (the real PostgreSQL on 127.0.0.1:5432) and e2e (Automation API; skips itself with one
# line when the Pulumi CLI is absent). Ends with one summary line: "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

npx tsc --noEmit -p . || { echo "tests: 0 passed, 1 failed (type check)"; exit 1; }
npx eslint . || { echo "tests: 0 passed, 1 failed (lint)"; exit 1; }

report=$(mktemp --suffix=.json)
npx jest --runInBand --json --outputFile="$report" "$@"
status=$?
node -e '
const fs = require("fs");
const text = fs.existsSync(process.argv[1]) ? fs.readFileSync(process.argv[1], "utf8") : "";
if (!text) { console.log("tests: 0 passed, 1 failed (jest wrote no report)"); process.exit(1); }
const r = JSON.parse(text);
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (r.numTotalTests === 0) { console.log("no test ran"); process.exit(1); }
' "$report" || status=1
rm -f "$report"
exit $status
