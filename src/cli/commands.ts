/**
 * The table of servicedb's command line: every command with its verbs and options, declared once.
 * The parser (src/cli/parse.ts), the usage and help (src/cli/usage.ts) and the reference page
 * docs/commands.md (src/cli/reference.ts) are derived from it. Options shared by several commands
 * come from src/cli/options.ts; values are checked by the command that reads them (src/cli/values.ts).
 */
import { ADMIN_URL, DRY_RUN, JSON_OUTPUT, LOCK_TIMEOUT, OUTPUTS, STACK } from "./options";
import { CommandSpec, command, option } from "./spec";
import { DAY2_COMMANDS } from "./day2Commands";

const migrate = command({
    name: "migrate",
    summary: "apply, list, check or baseline one service's SQL migrations",
    task: "Apply a service's migrations, or see where its database stands",
    verbs: [
        { name: "migrate", description: "apply the pending migrations, one transaction each; validates first and applies nothing if that fails" },
        { name: "info", description: "list every migration with its state: applied, pending, failed, changed or missing" },
        { name: "validate", description: "check that the files agree with the database's history; applies nothing" },
        { name: "baseline", description: "mark a database servicedb never migrated as being at --version; files up to it are never applied" },
    ],
    options: [
        option({ name: "dir", type: "string", value: "<folder>", required: "the service's migrations folder", description: "the service's migrations folder, e.g. migrations/orders" }),
        option({ name: "url", type: "string", value: "<postgres-url>", env: "DATABASE_URL", required: "the service's database", description: "the service's database, as a postgres:// or postgresql:// URL" }),
        JSON_OUTPUT,
        option({ name: "schema", type: "string", value: "<name>", default: "public", description: "the schema of the history table" }),
        option({ name: "version", type: "string", value: "<version>", description: "baseline only: the version to mark the database at, above 0 (3, 1.2)" }),
        LOCK_TIMEOUT,
        option({ name: "allow-out-of-order", type: "boolean", description: "apply a pending version below the highest applied one" }),
        option({ name: "allow-changed", type: "boolean", description: "accept applied files whose content changed since" }),
        option({ name: "allow-missing", type: "boolean", description: "accept applied migrations whose file was deleted" }),
    ],
    exits: "0 on success; 1 with a one-line cause (bad URL, unreachable host, wrong password, validation); 2 on usage errors.",
    examples: [
        "servicedb migrate migrate --dir migrations/orders --url \"$ORDERS_URL\"",
        "servicedb migrate info --dir migrations/orders --json",
        "servicedb migrate baseline --dir migrations/orders --version 3",
    ],
});

const verify = command({
    name: "verify",
    summary: "prove on the live servers that each service reaches its own database and no other",
    task: "Check after a deploy that each service sees only its own data",
    options: [
        OUTPUTS,
        STACK,
        JSON_OUTPUT,
        ADMIN_URL,
        option({ name: "concurrency", type: "string", value: "<n>", default: "8", description: "the most connections verify opens at once, all checks together" }),
        option({ name: "maintenance-db", type: "string", value: "<name>", default: "postgres", description: "the database a login reaches by default, checked for dblink and postgres_fdw" }),
        option({ name: "full-matrix", type: "boolean", description: "try every pair of services for real (N×(N-1) attempts); not with --sample-pairs" }),
        option({ name: "sample-pairs", type: "string", value: "<n>", default: "10", description: "random pairs tried for real on top of the ring" }),
        option({ name: "seed", type: "string", value: "<n>", description: "the seed of the random pairs, to replay a sample" }),
    ],
    oneOf: [["outputs", "stack"]],
    exits: "0 when every check passes; 1 on a failed check, an unreachable server or unreadable outputs; 2 on usage errors.",
    examples: [
        "servicedb verify --outputs outputs.json --json",
        "servicedb verify --stack prod --admin-url postgresql://admin@host/postgres",
        "servicedb verify --outputs outputs.json --full-matrix",
    ],
});

const plan = command({
    name: "plan",
    summary: "print what a stack would create, from its stack file alone",
    task: "See what a stack would deploy, without credentials",
    options: [{ ...STACK, required: "a stack with a Pulumi.<name>.yaml" }],
    exits: "0 when the config is valid; 1 when it has problems (listed in the plan); 2 on usage errors or an unknown stack.",
    examples: ["servicedb plan --stack staging"],
});

const policyConfig = command({
    name: "policy-config",
    summary: "print the policy pack's config for a stack (the servers' connection budgets), as JSON",
    task: "Give the policy pack a stack's connection budgets",
    options: [{ ...STACK, required: "a stack with a Pulumi.<name>.yaml" }],
    exits: "0 with the JSON on stdout; 1 when the stack's config has problems; 2 on usage errors or an unknown stack.",
    examples: ["servicedb policy-config --stack prod > policy-config.json"],
});

const repair = command({
    name: "repair",
    summary: "bring a stack whose `pulumi up` was interrupted back to a state the next up converges from",
    task: "Recover a stack after an interrupted `pulumi up`",
    options: [
        { ...STACK, required: "the stack to repair" },
        DRY_RUN,
        option({ name: "clear-foreign-locks", type: "boolean", description: "say that nothing else deploys the stack: a lock taken on another host is removed too (other backends: pulumi cancel)" }),
    ],
    exits: "0 when the stack is ready for up (or nothing needed repair); 1 when something stops it (a running update, a conflict, a failed refresh); 2 on usage errors.",
    examples: ["servicedb repair --stack dev --dry-run", "servicedb repair --stack dev"],
});

/** Every command of `servicedb`, by name, in the order help and docs/commands.md list them. */
export const COMMANDS = { plan, verify, migrate, ...DAY2_COMMANDS, repair, "policy-config": policyConfig };

export type CommandName = keyof typeof COMMANDS;

/** The command called `name`, if there is one. */
export function commandSpec(name: string): CommandSpec | undefined {
    return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name as CommandName] : undefined;
}
