#!/usr/bin/env bash
# plan-diff.sh <base-checkout> <head-checkout> <out-dir>: the offline plan of every stack of
# head, on base and on head, and a Markdown comment with their diff. Needs no secrets.
set -uo pipefail
base=$1 head=$2 out=$3
mkdir -p "$out"
echo "${PR_NUMBER:-0}" > "$out/pr-number"
(cd "$head" && npm ci --no-audit --no-fund >/dev/null)
base_has_plan=false
if (cd "$base" && node -e 'process.exit(require("./package.json").scripts?.plan ? 0 : 1)'); then
  (cd "$base" && npm ci --no-audit --no-fund >/dev/null) && base_has_plan=true
fi
{
  echo "## servicedb offline plan"
  echo
  echo "What each stack declares, computed from its stack file under mocks (no credentials)."
  for f in "$head"/Pulumi.*.yaml; do
    stack=$(basename "$f" .yaml); stack=${stack#Pulumi.}
    (cd "$head" && npm run -s plan -- --stack "$stack") > "$out/head-$stack.md" 2>&1
    if $base_has_plan && [ -f "$base/Pulumi.$stack.yaml" ]; then
      (cd "$base" && npm run -s plan -- --stack "$stack") > "$out/base-$stack.md" 2>&1
    else
      : > "$out/base-$stack.md"
    fi
    echo
    if cmp -s "$out/base-$stack.md" "$out/head-$stack.md"; then
      echo "<details><summary><code>$stack</code>: no change</summary>"
      echo; cat "$out/head-$stack.md"; echo "</details>"
    else
      echo "<details open><summary><code>$stack</code>: changed</summary>"
      echo; echo '```diff'; diff -u "$out/base-$stack.md" "$out/head-$stack.md" | tail -n +3; echo '```'
      echo; cat "$out/head-$stack.md"; echo "</details>"
    fi
  done
} > "$out/comment.md"
