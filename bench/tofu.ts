/**
 * The peer of `npm run bench:engine`: OpenTofu with the cyrilgdn/postgresql and hashicorp/random
 * providers — what most teams use for this job — doing the same work as servicedb's core for N
 * services (a generated password, a login role with its connection limit, a UTF8 database it
 * owns, PUBLIC's privileges on it revoked) on the same server, in the same run: `tofu apply`,
 * a no-change `tofu plan` (which refreshes every resource, like `pulumi preview --refresh`) and
 * `tofu destroy`. Needs `tofu` on PATH (or TOFU) and its providers where TF_CLI_CONFIG_FILE's
 * filesystem mirror finds them (docs/benchmarks.md says how they were built); otherwise the
 * benchmark prints one `skipped:` line for it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";

const tofu = () => process.env.TOFU ?? "tofu";

/** Why the peer cannot run here, or undefined. */
export function tofuMissing(): string | undefined {
    try {
        execFileSync(tofu(), ["version"], { stdio: "ignore" });
    } catch {
        return "OpenTofu (tofu) is not on PATH";
    }
    if (!process.env.TF_CLI_CONFIG_FILE) return "TF_CLI_CONFIG_FILE names no CLI config with a filesystem mirror of the providers";
    return undefined;
}

/** The configuration for `n` services named by `name`. */
export function tofuConfig(n: number, name: (i: number) => string): string {
    const head = `terraform {
  required_providers {
    postgresql = { source = "cyrilgdn/postgresql" }
    random     = { source = "hashicorp/random" }
  }
}
provider "postgresql" {
  host      = "127.0.0.1"
  port      = 5432
  username  = "postgres"
  sslmode   = "disable"
  superuser = true
}
`;
    const service = (i: number) => {
        const id = name(i);
        return `resource "random_password" "${id}" {
  length  = 40
  special = false
}
resource "postgresql_role" "${id}" {
  name             = "${id}"
  login            = true
  password         = random_password.${id}.result
  connection_limit = 1
}
resource "postgresql_database" "${id}" {
  name             = "${id}"
  owner            = postgresql_role.${id}.name
  template         = "template0"
  encoding         = "UTF8"
  connection_limit = 1
}
resource "postgresql_grant" "${id}_revoke_public" {
  database    = postgresql_database.${id}.name
  role        = "public"
  object_type = "database"
  privileges  = []
}
`;
    };
    return head + Array.from({ length: n }, (_, i) => service(i)).join("");
}

function run(dir: string, args: readonly string[]): number {
    const t = performance.now();
    execFileSync(tofu(), args, { cwd: dir, stdio: ["ignore", "ignore", "inherit"], timeout: 1_800_000, env: { ...process.env, TF_IN_AUTOMATION: "1" } });
    return (performance.now() - t) / 1000;
}

/** Seconds of apply, a no-change plan and destroy of `n` services. */
export function tofuPeer(n: number, name: (i: number) => string): { up: number; preview: number; destroy: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "servicedb-tofu-"));
    try {
        fs.writeFileSync(path.join(dir, "main.tf"), tofuConfig(n, name));
        run(dir, ["init", "-input=false", "-no-color"]);
        const up = run(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
        // -detailed-exitcode: 0 when nothing would change (2 would throw: a diff that never settles).
        const preview = run(dir, ["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
        const destroy = run(dir, ["destroy", "-auto-approve", "-input=false", "-no-color"]);
        return { up, preview, destroy };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
