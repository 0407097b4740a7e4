/**
 * `npm run policy-config -- --stack <name>`: the policy pack's config for one stack, derived from
 * its stack file so that the numbers live in one place: every cluster's and container's
 * max_connections and reserve become the connection-budget policy's `servers`. JSON on stdout,
 * for `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */
import { formatProblem } from "../src/problems";
import { PlatformSpec } from "../src/spec";
import { stackNames, stackSpec } from "../src/stackFile";

/** The budget policy's name in policy/src/budget.ts. */
export const BUDGET_POLICY = "postgresql-connection-budget";

/** `{ "postgresql-connection-budget": { servers: { "host:port": { maxConnections, reservedConnections } } } }` */
export function policyConfigOf(spec: Pick<PlatformSpec, "clusters" | "containers">): Record<string, { servers: Record<string, { maxConnections: number; reservedConnections: number }> }> {
    const servers = Object.fromEntries([
        ...spec.clusters.map((c) => [`${c.host}:${c.port}`, { maxConnections: c.maxConnections, reservedConnections: c.reservedConnections }] as const),
        ...spec.containers.map((c) => [`127.0.0.1:${c.port}`, { maxConnections: c.maxConnections, reservedConnections: c.reservedConnections }] as const),
    ]);
    return { [BUDGET_POLICY]: { servers } };
}

/** The policy config of a stack file, or the config problems that stop it. */
export function policyConfigOfStack(stack: string): { config?: ReturnType<typeof policyConfigOf>; problems: string[] } {
    const { spec, problems } = stackSpec(stack);
    return problems.length > 0 ? { problems: problems.map(formatProblem) } : { config: policyConfigOf(spec), problems: [] };
}

function main(argv: readonly string[]): number {
    const i = argv.indexOf("--stack");
    const stack = i >= 0 ? argv[i + 1] : undefined;
    if (!stack || !stackNames().includes(stack)) {
        process.stderr.write(`servicedb policy-config: --stack must name one of: ${stackNames().join(", ")}\n`);
        return 2;
    }
    const { config, problems } = policyConfigOfStack(stack);
    if (!config) {
        process.stderr.write(`servicedb policy-config: stack ${stack} has ${problems.length} config problem(s), the first: ${problems[0]}\n`);
        return 1;
    }
    process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
    return 0;
}

// Run as a command: directly, or through scripts/cli.js (`npm run policy-config`), which sets
// argv[1] to this file and requires it (then require.main is the launcher).
if (require.main === module || process.argv[1] === __filename) process.exitCode = main(process.argv.slice(2));
