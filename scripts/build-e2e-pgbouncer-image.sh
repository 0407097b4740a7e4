#!/usr/bin/env bash
# Builds servicedb-e2e/pgbouncer:1, the PgBouncer image of the pooler tests, without any registry
# (docker pull never works here): FROM servicedb-e2e/postgres-base:15 (the Debian bookworm rootfs
# that scripts/build-e2e-image.sh imports), plus Debian's pgbouncer package installed by apt
# inside `docker build`. The image runs as the `postgres` user (PgBouncer refuses root) and
# expects its configuration at /etc/pgbouncer/pgbouncer.ini, the path servicedb's Pooler mounts
# it to; its command is `pgbouncer /etc/pgbouncer/pgbouncer.ini`, the one servicedb sets anyway.
# Idempotent: builds only when `docker image inspect` does not find the image (REBUILD=1 rebuilds).
# Needs a running dockerd; runs scripts/build-e2e-image.sh first when the base image is missing.
set -euo pipefail

BASE_IMAGE=servicedb-e2e/postgres-base:15
IMAGE=servicedb-e2e/pgbouncer:1

log() { echo "build-e2e-pgbouncer-image: $*" >&2; }
die() { log "error: $*"; exit 1; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

command -v docker >/dev/null 2>&1 || die "docker CLI not found (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "docker daemon not reachable"

if [ "${REBUILD:-0}" != 1 ] && have_image "$IMAGE"; then
  log "image already present"
  echo "$IMAGE $(docker image inspect --format '{{.Id}}' "$IMAGE")"
  exit 0
fi
if ! have_image "$BASE_IMAGE"; then
  log "$BASE_IMAGE missing: building it with scripts/build-e2e-image.sh"
  bash "$(dirname "$0")/build-e2e-image.sh" >/dev/null
fi

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
cat >"$workdir/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null \\
 && apt-get clean && rm -rf /var/lib/apt/lists/* \\
 && mkdir -p /etc/pgbouncer /var/run/postgresql \\
 && chown postgres:postgres /etc/pgbouncer /var/run/postgresql
USER postgres
EXPOSE 6432
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]
DOCKERFILE

export DOCKER_BUILDKIT=0  # Debian's engine here has no buildx plugin
log "docker build $IMAGE"
docker build -q -t "$IMAGE" "$workdir" >/dev/null
echo "$IMAGE $(docker image inspect --format '{{.Id}}' "$IMAGE")"
