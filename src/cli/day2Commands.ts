/**
 * The day-2 part of the command table (src/cli/commands.ts): status, backup, restore and split,
 * the commands that read a deployed stack's outputs (`--stack` or `--outputs`).
 */
import { ADMIN_URL, JSON_OUTPUT, LOCK_TIMEOUT, MIGRATIONS, OUTPUTS, STACK, STACK_OR_OUTPUTS } from "./options";
import { command, option } from "./spec";

const SERVICE = option({ name: "service", type: "string", value: "<name>", description: "the service, as the stack's outputs name it" });

const status = command({
    name: "status",
    summary: "one row per service: reachable, connections against its limit, size, pending migrations",
    task: "See how every service's database is doing right now",
    options: [
        STACK,
        OUTPUTS,
        ADMIN_URL,
        JSON_OUTPUT,
        option({ name: "watch", type: "boolean", description: "redraw the table until Ctrl-C" }),
        option({ name: "interval", type: "string", value: "<seconds>", default: "2", description: "with --watch: the seconds between two tables" }),
        MIGRATIONS,
    ],
    oneOf: [STACK_OR_OUTPUTS],
    exits: "0 when no service is flagged; 1 when one is, or the outputs cannot be read; 2 on usage errors.",
    examples: ["servicedb status --stack prod", "servicedb status --stack prod --admin-url postgresql://admin@host/postgres --watch --interval 5"],
});

const backup = command({
    name: "backup",
    summary: "pg_dump one service's database with its own login, next to a manifest",
    task: "Back up one service's database",
    options: [
        STACK,
        OUTPUTS,
        { ...SERVICE, required: "the service to back up" },
        option({ name: "out", type: "string", value: "<dir>", default: "backups", description: "the folder the dump and its manifest are written to" }),
        JSON_OUTPUT,
    ],
    oneOf: [STACK_OR_OUTPUTS],
    exits: "0 on success; 1 with one line on failure; 2 on usage errors.",
    examples: ["servicedb backup --stack prod --service orders --out backups"],
});

const restore = command({
    name: "restore",
    summary: "pg_restore a service's backup into its database, or into a scratch database with --as",
    task: "Restore one service's database from a backup",
    options: [
        STACK,
        OUTPUTS,
        { ...SERVICE, required: "the service whose backup this is" },
        option({ name: "from", type: "string", value: "<file>", required: "the .dump file or its .json manifest", description: "the backup: the .dump file or its .json manifest" }),
        option({ name: "as", type: "string", value: "<database>", description: "restore into this scratch database instead (created through --admin-url if missing)" }),
        ADMIN_URL,
        option({ name: "clean", type: "boolean", description: "into a non-empty database: drop and recreate the backup's objects first; not with --force" }),
        option({ name: "force", type: "boolean", description: "into a non-empty database: restore on top, failing on the first object that exists; not with --clean" }),
        JSON_OUTPUT,
    ],
    oneOf: [STACK_OR_OUTPUTS],
    exits: "0 on success; 1 with one line on failure (nothing restored); 2 on usage errors.",
    examples: [
        "servicedb restore --stack prod --service orders --from backups/orders-2026-01-02T03-04-05.678Z.dump --clean",
        "servicedb restore --stack prod --service orders --from <file> --as orders_inspect --admin-url postgresql://admin@host/postgres",
    ],
});

const split = command({
    name: "split",
    summary: "move each service's tables out of a shared database into its own, following a plan file",
    task: "Move services' tables out of a shared monolith database",
    verbs: [
        { name: "plan", description: "check the plan against the monolith's catalog and list what would move; moves nothing" },
        { name: "copy", description: "create each service's tables as its own role and copy the rows; resumes where it stopped" },
        { name: "verify", description: "compare every copied table with its source" },
        { name: "cutover", description: "revoke writes to the moved tables in the monolith, copy again what differs, check every table, print the next steps" },
        { name: "rollback", description: "give the monolith its write privileges back and undo what copy created" },
    ],
    options: [
        option({ name: "plan", type: "string", value: "<file>", required: "e.g. split/monolith.yaml", description: "the split plan, e.g. split/monolith.yaml" }),
        STACK,
        OUTPUTS,
        JSON_OUTPUT,
        option({ name: "progress-interval", type: "string", value: "<ms>", default: "500", description: "the milliseconds between two progress reports of copy and cutover" }),
        LOCK_TIMEOUT,
        MIGRATIONS,
    ],
    oneOf: [STACK_OR_OUTPUTS],
    exits: "0 on success; 1 on plan problems, differences or failures (one line each); 2 on usage errors.",
    examples: [
        "servicedb split plan --plan split/monolith.yaml --stack monolith",
        "servicedb split copy --plan split/monolith.yaml --stack monolith --json",
        "servicedb split cutover --plan split/monolith.yaml --stack monolith --lock-timeout 30",
    ],
});

/** status, backup, restore and split, by name. */
export const DAY2_COMMANDS = { status, backup, restore, split };
