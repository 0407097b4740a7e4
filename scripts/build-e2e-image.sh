#!/usr/bin/env bash
# Builds the local PostgreSQL 15 image used by the container-mode end-to-end tests, without any
# registry (docker pull never works here): a Debian bookworm rootfs from debootstrap with
# postgresql-15 from Debian, `docker import`ed as servicedb-e2e/postgres-base:15, plus a small
# Dockerfile whose entrypoint behaves like the official postgres image's (POSTGRES_PASSWORD
# required, POSTGRES_USER / POSTGRES_DB, initdb on first start only, scram for host connections,
# /docker-entrypoint-initdb.d). Tags:
#   servicedb-e2e/postgres:15      the image
#   servicedb-e2e/postgres:15-alt  the same plus a LABEL (a different image id, so a test can
#                                  force a container replacement by switching image)
# Idempotent: builds only what `docker image inspect` does not find (REBUILD=1 rebuilds all).
# Needs root, a running dockerd and the Debian mirror apt uses (read from /etc/apt; override with
# DEBIAN_MIRROR=<url>). Takes about 3 minutes. Prints the image id(s) at the end.
set -euo pipefail

SUITE=bookworm
BASE_IMAGE=servicedb-e2e/postgres-base:15
IMAGE=servicedb-e2e/postgres:15
ALT_IMAGE=servicedb-e2e/postgres:15-alt

log() { echo "build-e2e-image: $*" >&2; }
die() { log "error: $*"; exit 1; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
image_id() { docker image inspect --format '{{.Id}}' "$1"; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot)"
command -v docker >/dev/null 2>&1 || die "docker CLI not found (apt-get install docker.io)"
docker info >/dev/null 2>&1 || die "docker daemon not reachable (start: nohup dockerd --host unix:///var/run/docker.sock > /var/log/dockerd.log 2>&1 &)"

if [ "${REBUILD:-0}" != 1 ] && have_image "$IMAGE" && have_image "$ALT_IMAGE"; then
  log "images already present"
  echo "$IMAGE $(image_id "$IMAGE")"
  echo "$ALT_IMAGE $(image_id "$ALT_IMAGE")"
  exit 0
fi

# --- the mirror apt uses on this machine --------------------------------------------------------
# Prints the first URI of an enabled "deb" source whose suites include exactly $1.
apt_mirror_for() {
  local want=$1 f
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources; do
    awk -v want="$want" '
      BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          split(line, kv, ":")
          key = tolower(kv[1]); val = substr(line, length(kv[1]) + 2)
          gsub(/^[ \t]+|[ \t]+$/, "", val)
          if (key == "types") types = val
          else if (key == "uris") uris = val
          else if (key == "suites") suites = val
          else if (key == "enabled") enabled = tolower(val)
        }
        if (enabled == "no" || (" " types " ") !~ / deb /) next
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) if (s[j] == want) { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [options] uri suite components...
    sed -E 's/#.*//; s/\[[^]]*\]//' "$f" | awk -v want="$want" '$1 == "deb" && $3 == want { print $2 }'
  done
  shopt -u nullglob
}

MIRROR=${DEBIAN_MIRROR:-$(apt_mirror_for "$SUITE" | head -n1)}
[ -n "$MIRROR" ] || die "no apt source for suite $SUITE in /etc/apt (set DEBIAN_MIRROR=<url>)"
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-$(apt_mirror_for "$SUITE-security" | head -n1)}
HAVE_UPDATES=$(apt_mirror_for "$SUITE-updates" | head -n1)
log "mirror: $MIRROR${SECURITY_MIRROR:+ (security: $SECURITY_MIRROR)}"

workdir=$(mktemp -d "${TMPDIR:-/var/tmp}/servicedb-e2e-image.XXXXXX")
rootfs="$workdir/rootfs"
cleanup() {
  if mountpoint -q "$rootfs/proc" 2>/dev/null; then umount -l "$rootfs/proc" || true; fi
  rm -rf --one-file-system "$workdir"
}
trap cleanup EXIT

# --- base image: debootstrap + postgresql-15, docker import -------------------------------------
build_base() {
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found (apt-get install debootstrap)"
  log "debootstrap --variant=minbase $SUITE (1-2 minutes)"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$workdir/debootstrap.log" 2>&1 \
    || { tail -n 30 "$workdir/debootstrap.log" >&2; die "debootstrap failed"; }

  {
    echo "deb $MIRROR $SUITE main"
    [ -z "$HAVE_UPDATES" ] || echo "deb $MIRROR $SUITE-updates main"
    [ -z "$SECURITY_MIRROR" ] || echo "deb $SECURITY_MIRROR $SUITE-security main"
  } >"$rootfs/etc/apt/sources.list"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"

  # Nothing installed in the chroot may start a service or create a cluster (the host has its
  # own PostgreSQL on 5432).
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  mkdir -p "$rootfs/etc/postgresql-common"
  echo 'create_main_cluster = false' >"$rootfs/etc/postgresql-common/createcluster.conf"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$rootfs/etc/apt/apt.conf.d/90servicedb-e2e"

  mount -t proc proc "$rootfs/proc"
  log "apt-get install postgresql-15 in the chroot"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 /bin/bash -euo pipefail -c '
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends passwd >/dev/null
      # same ids as the official image, so data volumes are interchangeable
      getent group postgres >/dev/null || groupadd --system --gid 999 postgres
      getent passwd postgres >/dev/null || useradd --system --uid 999 --gid postgres \
        --home-dir /var/lib/postgresql --shell /bin/bash --comment "PostgreSQL administrator" postgres
      mkdir -p /var/lib/postgresql && chown postgres:postgres /var/lib/postgresql
      apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old \
        /usr/share/doc/* /usr/share/man/* /usr/share/info/* /var/log/*.log /tmp/* /var/tmp/*
      ls /usr/lib/postgresql/15/bin/postgres /usr/lib/postgresql/15/bin/initdb >/dev/null
      if [ -e /etc/postgresql/15/main ]; then echo "a cluster was created" >&2; exit 1; fi
    ' || die "installing postgresql-15 in the chroot failed"
  umount "$rootfs/proc"
  : >"$rootfs/etc/resolv.conf"

  log "docker import $BASE_IMAGE"
  tar --numeric-owner -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf --one-file-system "$rootfs"
}

# --- the image: entrypoint + Dockerfile ---------------------------------------------------------
write_context() {
  local ctx=$1
  mkdir -p "$ctx"
  cat >"$ctx/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/usr/bin/env bash
# Behaves like the official postgres image's entrypoint (the parts the tests use).
set -Eeuo pipefail

# usage: file_env VAR [DEFAULT]  (VAR or VAR_FILE, not both)
file_env() {
  local var=$1 fileVar="${1}_FILE" def=${2:-} val
  if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
    echo >&2 "error: both $var and $fileVar are set (but are exclusive)"; exit 1
  fi
  val=$def
  if [ -n "${!var:-}" ]; then val=${!var}
  elif [ -n "${!fileVar:-}" ]; then val=$(<"${!fileVar}"); fi
  export "$var"="$val"
  unset "$fileVar"
}

# `docker run image -c max_connections=200`: options for postgres
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 0700 "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 2775 /var/run/postgresql
  # re-run this script as postgres (no gosu here: setpriv from util-linux)
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
fi

if [ "$1" = 'postgres' ]; then
  # running as a non-root user (docker run --user ...): do what we can
  mkdir -p "$PGDATA" 2>/dev/null || true
  chmod 0700 "$PGDATA" 2>/dev/null || true

  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$auth" != 'trust' ]; then
      cat >&2 <<'EOE'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
EOE
      exit 1
    fi
    echo "initdb in $PGDATA"
    pwargs=()
    pwfile=
    if [ -n "$POSTGRES_PASSWORD" ]; then
      pwfile=$(mktemp)
      printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
      pwargs=(--pwfile="$pwfile")
    fi
    # shellcheck disable=SC2086
    initdb --username="$POSTGRES_USER" --auth-local=trust --auth-host="$auth" \
      "${pwargs[@]}" $POSTGRES_INITDB_ARGS -D "$PGDATA"
    [ -z "$pwfile" ] || rm -f "$pwfile"

    printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
    printf '\nhost all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"

    # a temporary server on the unix socket only, for POSTGRES_DB and the init scripts
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
    export PGUSER="$POSTGRES_USER" PGHOST=/var/run/postgresql PGPORT=5432
    psql=(psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc)
    if [ "$POSTGRES_DB" != 'postgres' ]; then
      exists=$("${psql[@]}" --dbname postgres -tA --set db="$POSTGRES_DB" \
        <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")
      if [ -z "$exists" ]; then
        "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
      fi
    fi
    shopt -s nullglob
    for f in /docker-entrypoint-initdb.d/*; do
      case "$f" in
        *.sh)
          if [ -x "$f" ]; then echo "running $f"; "$f"
          else echo "sourcing $f"; . "$f"; fi ;;
        *.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
        *.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
        *) echo "ignoring $f" ;;
      esac
    done
    shopt -u nullglob
    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGUSER PGHOST PGPORT
    echo "PostgreSQL init process complete; ready for start up."
  else
    echo "PostgreSQL database directory appears to contain a database; skipping initialization"
  fi
fi

exec "$@"
ENTRYPOINT
  chmod 0755 "$ctx/docker-entrypoint.sh"

  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    LANG=C.UTF-8 \\
    PG_MAJOR=15 \\
    PGDATA=/var/lib/postgresql/data
RUN mkdir -p /var/run/postgresql /docker-entrypoint-initdb.d "\$PGDATA" \\
 && chown postgres:postgres /var/run/postgresql "\$PGDATA" \\
 && chmod 2775 /var/run/postgresql && chmod 0700 "\$PGDATA"
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
# root: the entrypoint fixes ownership of \$PGDATA, then drops to postgres (uid 999)
USER root
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
DOCKERFILE
}

export DOCKER_BUILDKIT=0  # Debian's 20.10 engine; no buildx plugin here

if [ "${REBUILD:-0}" = 1 ] || ! have_image "$IMAGE"; then
  if [ "${REBUILD:-0}" = 1 ] || ! have_image "$BASE_IMAGE"; then
    build_base
  else
    log "reusing $BASE_IMAGE"
  fi
  write_context "$workdir/ctx"
  log "docker build $IMAGE"
  docker build -q -t "$IMAGE" "$workdir/ctx" >/dev/null
fi

if [ "${REBUILD:-0}" = 1 ] || ! have_image "$ALT_IMAGE" \
  || [ "$(docker image inspect --format '{{index .Config.Labels "org.servicedb.e2e.variant"}}' "$ALT_IMAGE")" != alt ]; then
  mkdir -p "$workdir/alt"
  printf 'FROM %s\nLABEL org.servicedb.e2e.variant=alt\n' "$IMAGE" >"$workdir/alt/Dockerfile"
  log "docker build $ALT_IMAGE"
  docker build -q -t "$ALT_IMAGE" "$workdir/alt" >/dev/null
fi

echo "$IMAGE $(image_id "$IMAGE")"
echo "$ALT_IMAGE $(image_id "$ALT_IMAGE")"
