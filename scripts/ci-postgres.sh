#!/usr/bin/env bash
# For CI containers (Debian bookworm, root) without PostgreSQL: install PostgreSQL 15 from
# Debian, trust local TCP logins (as the project's CI machine does), start it.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
hba=/etc/postgresql/15/main/pg_hba.conf
sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/; s/^(local\s+all\s+postgres\s+)peer/\1trust/' "$hba"
pg_ctlcluster --skip-systemctl-redirect 15 main start
pg_isready -h 127.0.0.1 -p 5432
