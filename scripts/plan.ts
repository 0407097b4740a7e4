/**
 * `npm run plan -- --stack <name>`: the offline plan of a stack as Markdown on stdout. Needs no
 * credentials, no backend and no Pulumi SDK (src/offlinePlan.ts). Exit 1 when the config has problems.
 */
import { offlinePlan } from "../src/offlinePlan";
import { stackNames } from "../src/stackFile";

function main(): number {
    const i = process.argv.indexOf("--stack");
    const stack = i >= 0 ? process.argv[i + 1] : undefined;
    if (!stack || !stackNames().includes(stack)) {
        process.stderr.write(`servicedb plan: --stack must name one of: ${stackNames().join(", ")}\n`);
        return 2;
    }
    const plan = offlinePlan(stack);
    process.stdout.write(plan.markdown);
    return plan.ok ? 0 : 1;
}

try {
    process.exitCode = main();
} catch (e) {
    process.stderr.write(`servicedb plan: ${(e as Error).message}\n`);
    process.exitCode = 1;
}
