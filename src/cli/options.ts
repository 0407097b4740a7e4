/**
 * The options several commands share, declared once so that a flag means the same thing in every
 * command that takes it. A command may mark a shared option required (`{ ...STACK, required }`);
 * its meaning stays the one written here.
 */
import { option } from "./spec";

/** Every command answers it; the parser knows it without a declaration. */
export const HELP = option({ name: "help", short: "h", type: "boolean", description: "print the usage and the options, then exit 0" });

export const STACK = option({
    name: "stack", type: "string", value: "<name>",
    description: "the Pulumi stack, by name (its config is `Pulumi.<name>.yaml`); commands that need its outputs read them with the Pulumi CLI",
});

export const OUTPUTS = option({
    name: "outputs", type: "string", value: "<file>",
    description: "the stack's outputs as `pulumi stack output --json --show-secrets` wrote them; instead of --stack, needs no Pulumi CLI",
});

/** The two ways to name the stack whose outputs a command reads; exactly one is given. */
export const STACK_OR_OUTPUTS = ["stack", "outputs"] as const;

export const JSON_OUTPUT = option({ name: "json", type: "boolean", description: "print JSON instead of text" });

export const ADMIN_URL = option({
    name: "admin-url", type: "string", value: "<url>",
    description: "a postgres:// URL of an administrator on the services' server, for what their own logins may not see or do",
});

export const DRY_RUN = option({ name: "dry-run", type: "boolean", description: "say what would be done, change nothing" });

export const MIGRATIONS = option({
    name: "migrations", type: "string", value: "<dir>", default: "migrations",
    description: "the folder that holds one migrations folder per service",
});

export const LOCK_TIMEOUT = option({
    name: "lock-timeout", type: "string", value: "<seconds>", default: "60",
    description: "how long to wait for a lock another session holds before giving up",
});
