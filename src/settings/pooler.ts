/** `pooler:` of a cluster or of a service's container: a PgBouncer in front of that server. */
import { POOLER_DEFAULTS, POOL_MODES } from "../pooler/spec";
import { choice, flag, integer, optionalInteger, optionalText, text } from "./kinds";
import type { Declaration } from "./setting";

/** PgBouncer's hard ceiling is the process's file descriptors; beyond this a typo is likelier. */
const MAX_CLIENTS = 100_000;

export const POOLER_SETTINGS = {
    mode: choice({ doc: "PgBouncer's `pool_mode`.", values: POOL_MODES, default: POOLER_DEFAULTS.mode }),
    port: optionalInteger({
        doc: "Where clients connect (published on 127.0.0.1 only; for a loopback cluster the pooler runs on the host network and listens on 127.0.0.1:`port`).", min: 1024, max: 65535, hint: "a free port from 1024 to 65535, e.g. 6432",
        defaultDoc: `\`${POOLER_DEFAULTS.port}\` on a cluster, the container's port + ${POOLER_DEFAULTS.containerPortOffset} on a container`,
    }),
    maxClientConnections: integer({
        doc: "PgBouncer's `max_client_conn`: the client-side capacity (the container's `nofile` limit follows).", min: 1, max: MAX_CLIENTS,
        default: POOLER_DEFAULTS.maxClientConnections, hint: `the client connections PgBouncer accepts, e.g. ${POOLER_DEFAULTS.maxClientConnections}`,
    }),
    image: text({ doc: "Any image with a `pgbouncer` binary on `PATH`; servicedb runs `pgbouncer /etc/pgbouncer/pgbouncer.ini` (the image's own entrypoint is bypassed) with its files mounted in `/etc/pgbouncer`. `scripts/build-e2e-pgbouncer-image.sh` builds `servicedb-e2e/pgbouncer:1` from Debian's package without a registry.", default: POOLER_DEFAULTS.image }),
    host: optionalText({ doc: "Required with `external`: the address services reach the pooler at (`pooledUrl`).", defaultDoc: "`127.0.0.1`" }),
    external: flag({ doc: "`true`: the pooler runs elsewhere (Kubernetes, a VM); no container, the files are a secret output.", default: false }),
    clientTls: flag({ doc: "With `external`: clients must use TLS (`pooledUrl` says `sslmode=require`); mount the certificate at `/etc/pgbouncer/tls/tls.crt` and `tls.key`.", default: false }),
} satisfies Declaration<unknown>;
