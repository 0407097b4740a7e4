/**
 * `servicedb policy-config --stack <name>`: the policy pack's config for one stack, derived from
 * its stack file so that the numbers live in one place: every cluster's and container's
 * max_connections and reserve become the connection-budget policy's `servers`. JSON on stdout,
 * for `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */
import { COMMANDS } from "../src/cli/commands";
import { UsageIo, commandArgs } from "../src/cli/parse";
import { oneOfNames } from "../src/cli/values";
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

/** `servicedb policy-config --stack <name>`: the config as JSON on stdout. */
export function runPolicyConfig(argv: readonly string[], io: UsageIo): number {
    const parsed = commandArgs(COMMANDS["policy-config"], argv, io, (p) => oneOfNames("stack", p.must("stack"), stackNames()));
    if (parsed.exit !== undefined) return parsed.exit;
    const stack = parsed.args;
    const { config, problems } = policyConfigOfStack(stack);
    if (!config) {
        io.err(`servicedb policy-config: stack ${stack} has ${problems.length} config problem(s), the first: ${problems[0]}`);
        return 1;
    }
    io.out(JSON.stringify(config, null, 2));
    return 0;
}
