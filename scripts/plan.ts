/**
 * `npm run plan -- --stack <name>`: the offline plan of a stack as Markdown on stdout. Needs no
 * credentials and no backend (the program runs under mocks). Exit 1 when the config has problems.
 */
import { offlinePlan } from "../src/offlinePlan";
import { stackNames } from "../src/stackFile";

async function main(): Promise<number> {
    const i = process.argv.indexOf("--stack");
    const stack = i >= 0 ? process.argv[i + 1] : undefined;
    if (!stack || !stackNames().includes(stack)) {
        process.stderr.write(`servicedb plan: --stack must name one of: ${stackNames().join(", ")}\n`);
        return 2;
    }
    const plan = await offlinePlan(stack, async () => (await import("../index")) as Record<string, unknown>);
    process.stdout.write(plan.markdown);
    return plan.ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => { process.stderr.write(`servicedb plan: ${(e as Error).message}\n`); process.exitCode = 1; });
