#!/usr/bin/env bash
# `npm run up [-- <stack>]`: everything from a fresh clone to a deployed stack (default: dev).
# Installs the npm packages, keeps state in ./.pulumi-state (no account), creates the stack on
# first use with a generated passphrase in ./.pulumi-state/passphrase, repairs an interrupted
# earlier run (npm run repair), then runs `pulumi up`.
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"
shift || true

[ -d node_modules ] || npm ci --no-audit --no-fund
# The Pulumi CLI: the one on PATH, else the SDK's version installed into ~/.pulumi/versions/<v>
# (scripts/ensure-pulumi.js; offline it says how to install it by hand and stops here).
cli_dir=$(node scripts/ensure-pulumi.js)
[ -n "$cli_dir" ] && export PATH="$cli_dir:$PATH"

mkdir -p .pulumi-state
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi-state}"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -f .pulumi-state/passphrase ]; then
    (umask 077; node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64url"))' > .pulumi-state/passphrase)
    echo "servicedb: generated a passphrase for local secrets in .pulumi-state/passphrase (keep it; it decrypts this state)"
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$PWD/.pulumi-state/passphrase"
fi

pulumi stack select --create "$stack"
# A previous `up` killed mid-way leaves a lock and pending creates: settle them first (README,
# "When a deploy is interrupted"). Stops here on a running update or a conflict it names.
node scripts/cli.js repair --stack "$stack"
pulumi up --yes --stack "$stack" "$@"
