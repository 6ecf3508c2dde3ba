import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { LONGEST_DEADLINE_MS, logLevels, readServerCertificate, readTrustedCa, type DeadlinePolicy, type LogFormat, type LogLevel, type ServerCertificate } from "@vectron/server";
import type { Limits } from "@vectron/api";
import { parseSessionKeyList } from "@vectron/auth";
import { toInt } from "./integer-setting";
import { readLimits } from "./limits-config";
import { filterLimitsFrom } from "@vectron/payload-filter";
import type { Plans } from "@vectron/quotas";
import { readPlans } from "./plans-config";

/** The parts of Vectron one process can run. */
export const allRoles = ["auth", "placement", "worker", "api"] as const;
export type Role = (typeof allRoles)[number];

/** Everything `vectron serve` can be told; read from flags and the environment here only. */
export interface ServeConfig {
  /** Roles this process runs; all four by default (the embedded single node). */
  roles: ReadonlySet<Role>;
  /** Base URLs of the placement processes, for nodes without the placement role. */
  placementUrls: string[];
  host: string;
  /** Host other nodes reach this one at (the address a worker registers). */
  advertiseHost: string;
  /** HTTP/1.1 port: Connect (JSON and binary), gRPC-Web, /health. 0 picks a free port. */
  port: number;
  /** HTTP/2 port (over TLS when `tls` is set): gRPC (and Connect/gRPC-Web over HTTP/2). 0 picks a free port. */
  grpcPort: number;
  dataDir: string;
  /** Postgres for accounts and placement; PGlite under dataDir when absent. */
  databaseUrl: string | undefined;
  /** One session JWT signing secret (VECTRON_JWT_SECRET); see jwtKeys. */
  jwtSecret: string | undefined;
  /**
   * Session signing keys, `kid:secret,...`, the first signing (VECTRON_JWT_KEYS). When
   * neither this nor jwtSecret is set, keys are generated and kept in <dataDir>/secrets/jwt-keys
   * and rotated with `vectron auth rotate-jwt-key`.
   */
  jwtKeys?: string;
  /** Shared secret of internal services; generated and kept in dataDir when absent. */
  clusterSecret: string | undefined;
  bcryptCost: number;
  maxRequestBytes: number;
  indexSaveIntervalMs: number;
  /** Threads holding shards (index and SQLite work); undefined: one per core; 0: the request thread. */
  shardThreads: number | undefined;
  /** Worker: most SnapshotShard streams at once, each a whole shard copy on the data disk. */
  maxSnapshotStreams: number;
  /** Placement: how long a worker stays live after its last heartbeat. */
  leaseMs: number;
  /** Placement leader: how often it checks leases, failovers, replicas and balance. */
  placementTickMs: number;
  /** Placement leader: how long a replica may be offline before another worker gets a new copy. */
  replaceAfterMs: number;
  /** API: how long a data call keeps retrying while a shard's primary moves. */
  routeRetryMs: number;
  /** API: the public API's limits (VECTRON_MAX_*; see limits-config.ts). */
  limits: Limits;
  /** API: what each plan allows a user (VECTRON_PLAN_*; see plans-config.ts). */
  plans: Plans;
  /**
   * This node's certificate and key, PEM text read from VECTRON_TLS_CERT and
   * VECTRON_TLS_KEY: both ports serve TLS and the node advertises https. Undefined:
   * cleartext (loopback development).
   */
  tls: ServerCertificate | undefined;
  /** PEM of the CA other nodes' certificates are signed by (VECTRON_TLS_CA); undefined: system trust. */
  tlsCa: string | undefined;
  /** Origins whose browser pages may call the public API (VECTRON_CORS_ORIGINS); none by default. */
  corsOrigins: string[];
  /** Every call's deadline: a larger client timeout is clamped to maxMs, a call without one gets defaultMs. */
  deadlines: DeadlinePolicy;
  /** Lowest level logged (VECTRON_LOG_LEVEL); one access line per request at debug. */
  logLevel: LogLevel;
  /** json (one object per line) or text (VECTRON_LOG_FORMAT). */
  logFormat: LogFormat;
  /** Serve /metrics without the cluster secret (VECTRON_METRICS_PUBLIC=1); off by default. */
  metricsPublic: boolean;
}

export const serveUsage = `Usage: vectron serve [options]

Starts Vectron: every role (auth, placement, worker, api) in one process by default,
or some of them as one node of a cluster (README, "Running a cluster").

Options (environment variable in brackets):
  --roles <list>         comma-separated roles: auth, placement, worker, api [VECTRON_ROLES]
                         (default: all four, with embedded storage)
  --placement <urls>     comma-separated base URLs of the placement nodes, for a node
                         without the placement role [VECTRON_PLACEMENT_URLS]
  --host <addr>          listen address [VECTRON_HOST] (default 127.0.0.1)
  --advertise-host <h>   host other nodes reach this one at [VECTRON_ADVERTISE_HOST]
                         (default: --host; required when --host is 0.0.0.0 or ::)
  --port <n>             Connect / gRPC-Web / HTTP port [PORT] (default 8080)
  --grpc-port <n>        gRPC (HTTP/2) port [VECTRON_GRPC_PORT] (default port + 1)
  --data-dir <dir>       where everything is stored [VECTRON_DATA_DIR] (default ./data)
  -h, --help             this text

Environment only:
  VECTRON_DATABASE_URL        Postgres URL for accounts and placement (default: embedded PGlite in <data-dir>/pglite)
  VECTRON_JWT_SECRET          session signing secret, >= 32 characters (default: keys generated into
                              <data-dir>/secrets/jwt-keys, rotated by vectron auth rotate-jwt-key)
  VECTRON_JWT_KEYS            several session signing keys instead, kid1:secret1,kid2:secret2 (the first
                              signs, all verify; kid: A-Z a-z 0-9 . _ -, secret >= 32 characters, no commas)
  VECTRON_CLUSTER_SECRET      internal services' secret, >= 32 characters (default: generated into <data-dir>/secrets)
  VECTRON_BCRYPT_COST         bcrypt cost for passwords, >= 10 (default 12)
  VECTRON_MAX_REQUEST_BYTES   largest request body (default 67108864)
  VECTRON_MAX_DEADLINE_MS     longest a call may run: a larger client timeout is clamped to it (default 60000)
  VECTRON_DEFAULT_DEADLINE_MS deadline of a call that sets no timeout, <= the maximum
                              (default 30000, or the maximum when that is lower)
  VECTRON_TLS_CERT, VECTRON_TLS_KEY  PEM files of this node's certificate and private key, both or
                              neither: HTTPS on --port, gRPC over TLS on --grpc-port, https in the
                              addresses it gives other nodes (default: cleartext)
  VECTRON_TLS_CA              PEM file of the CA the other nodes' certificates are signed by, trusted
                              alone for calls to them (default: the system's CAs)
  VECTRON_CORS_ORIGINS        origins whose browser pages may call the API, comma-separated
                              (e.g. https://app.example.com), or * for any (default: none)
  VECTRON_LOG_LEVEL           debug, info, warn or error (default info); debug adds one access line
                              per request (request id, service, method, code, duration)
  VECTRON_LOG_FORMAT          json: one JSON object per line (default); text: for a terminal
  VECTRON_METRICS_PUBLIC      1: serve /metrics to anyone who reaches the port (default 0: a scrape
                              needs Authorization: Bearer <cluster secret>)
  VECTRON_INDEX_SAVE_INTERVAL_MS  how often changed HNSW indexes are saved (default 30000)
  VECTRON_SHARD_THREADS       threads holding shards, off the request thread (default: one per core;
                              0 keeps them on the request thread)
  VECTRON_MAX_SNAPSHOT_STREAMS  worker: most shard snapshots streamed at once, each a copy of the
                              shard on the data disk while it streams; one per shard (default 2)
  VECTRON_LEASE_MS            placement: a worker is live this long after its last heartbeat (default 10000)
  VECTRON_PLACEMENT_TICK_MS   placement leader: how often it checks the cluster (default 1000)
  VECTRON_REPLICA_REPLACE_AFTER_MS  placement leader: offline time before a replica is re-created
                              elsewhere (default 30000)
  VECTRON_ROUTE_RETRY_MS      api: how long a data call waits for a shard's primary to move (default 15000)
  VECTRON_MAX_DIMENSION, VECTRON_MAX_BATCH_POINTS, VECTRON_MAX_PAYLOAD_BYTES, VECTRON_MAX_ID_BYTES,
  VECTRON_MAX_TOP_K, VECTRON_MAX_EF, VECTRON_MAX_BATCH_QUERIES, VECTRON_MAX_BATCH_RESULTS,
  VECTRON_MAX_SCROLL_LIMIT, VECTRON_MAX_SHARDS, VECTRON_MAX_REPLICATION_FACTOR,
  VECTRON_MAX_FILTER_CONDITIONS, VECTRON_MAX_FILTER_ANY_VALUES (the same on every node)
                              api: the public API's limits (README, "Limits")
  VECTRON_PLAN_FREE_MAX_COLLECTIONS, VECTRON_PLAN_FREE_MAX_POINTS, VECTRON_PLAN_FREE_REQUESTS_PER_SECOND,
  VECTRON_PLAN_FREE_BURST, and the same with PAID
                              api: each plan's collections and points per user, and requests per second
                              and burst per user, shared by all their API keys and sessions
                              (defaults: free 10, 1000000, 100, 200; paid 1000,
                              100000000, 2000, 4000); set a user's plan with vectron users set-plan
                              (README, "Plans and quotas")

A node that does not run every role is part of a cluster: it needs VECTRON_DATABASE_URL
(auth, placement, api), VECTRON_CLUSTER_SECRET, and VECTRON_JWT_SECRET or VECTRON_JWT_KEYS (auth, api), the
same on every node.
`;

/** Parses `serve` flags over the environment; throws a message fit for the terminal. */
export function readServeConfig(args: string[], env: Record<string, string | undefined>): ServeConfig | "help" {
  const { values } = parseArgs({
    args,
    options: {
      roles: { type: "string" },
      placement: { type: "string" },
      "advertise-host": { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "grpc-port": { type: "string" },
      "data-dir": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const port = toInt("--port", values.port ?? env.PORT ?? "8080", 0, 65535);
  const grpcDefault = port === 0 ? "0" : String(port + 1);
  const roles = parseRoles(values.roles ?? env.VECTRON_ROLES);
  const host = values.host ?? env.VECTRON_HOST ?? "127.0.0.1";
  const config: ServeConfig = {
    roles,
    placementUrls: splitList(values.placement ?? env.VECTRON_PLACEMENT_URLS),
    host,
    advertiseHost: values["advertise-host"] ?? env.VECTRON_ADVERTISE_HOST ?? host,
    port,
    grpcPort: toInt("--grpc-port", values["grpc-port"] ?? env.VECTRON_GRPC_PORT ?? grpcDefault, 0, 65535),
    dataDir: resolve(values["data-dir"] ?? env.VECTRON_DATA_DIR ?? "data"),
    databaseUrl: env.VECTRON_DATABASE_URL || undefined,
    jwtSecret: env.VECTRON_JWT_SECRET || undefined,
    jwtKeys: readSessionKeys(env),
    clusterSecret: env.VECTRON_CLUSTER_SECRET || undefined,
    bcryptCost: toInt("VECTRON_BCRYPT_COST", env.VECTRON_BCRYPT_COST ?? "12", 10, 31),
    maxRequestBytes: toInt("VECTRON_MAX_REQUEST_BYTES", env.VECTRON_MAX_REQUEST_BYTES ?? String(64 << 20), 1024, 2 ** 31 - 1),
    indexSaveIntervalMs: toInt("VECTRON_INDEX_SAVE_INTERVAL_MS", env.VECTRON_INDEX_SAVE_INTERVAL_MS ?? "30000", 100, 86_400_000),
    shardThreads: env.VECTRON_SHARD_THREADS ? toInt("VECTRON_SHARD_THREADS", env.VECTRON_SHARD_THREADS, 0, 256) : undefined,
    maxSnapshotStreams: toInt("VECTRON_MAX_SNAPSHOT_STREAMS", env.VECTRON_MAX_SNAPSHOT_STREAMS ?? "2", 1, 1024),
    leaseMs: toInt("VECTRON_LEASE_MS", env.VECTRON_LEASE_MS ?? "10000", 1000, 600_000),
    placementTickMs: toInt("VECTRON_PLACEMENT_TICK_MS", env.VECTRON_PLACEMENT_TICK_MS ?? "1000", 50, 60_000),
    replaceAfterMs: toInt("VECTRON_REPLICA_REPLACE_AFTER_MS", env.VECTRON_REPLICA_REPLACE_AFTER_MS ?? "30000", 0, 86_400_000),
    routeRetryMs: toInt("VECTRON_ROUTE_RETRY_MS", env.VECTRON_ROUTE_RETRY_MS ?? "15000", 0, 600_000),
    limits: readLimits(env),
    plans: readPlans(env),
    tls: readTls(env),
    tlsCa: env.VECTRON_TLS_CA ? readTrustedCa(env.VECTRON_TLS_CA, "VECTRON_TLS_CA") : undefined,
    corsOrigins: readCorsOrigins(env.VECTRON_CORS_ORIGINS),
    deadlines: readDeadlines(env),
    logLevel: oneOf("VECTRON_LOG_LEVEL", env.VECTRON_LOG_LEVEL || "info", logLevels),
    logFormat: oneOf("VECTRON_LOG_FORMAT", env.VECTRON_LOG_FORMAT || "json", ["json", "text"] as const),
    metricsPublic: oneOf("VECTRON_METRICS_PUBLIC", env.VECTRON_METRICS_PUBLIC || "0", ["0", "1"] as const) === "1",
  };
  // Read again by every shard thread from the environment; checked here so a bad value stops the start.
  filterLimitsFrom(env);
  checkClusterConfig(config);
  return config;
}

/** The node's certificate and key: both files or neither. */
function readTls(env: Record<string, string | undefined>): ServerCertificate | undefined {
  const certFile = env.VECTRON_TLS_CERT || undefined;
  const keyFile = env.VECTRON_TLS_KEY || undefined;
  if (!certFile !== !keyFile) {
    throw new Error("VECTRON_TLS_CERT and VECTRON_TLS_KEY: give both (PEM files of this node's certificate and private key) or neither");
  }
  return certFile && keyFile ? readServerCertificate({ certFile, keyFile }, { cert: "VECTRON_TLS_CERT", key: "VECTRON_TLS_KEY" }) : undefined;
}

function readDeadlines(env: Record<string, string | undefined>): DeadlinePolicy {
  const maxMs = toInt("VECTRON_MAX_DEADLINE_MS", env.VECTRON_MAX_DEADLINE_MS ?? "60000", 1, LONGEST_DEADLINE_MS);
  const defaultMs = toInt("VECTRON_DEFAULT_DEADLINE_MS", env.VECTRON_DEFAULT_DEADLINE_MS ?? String(Math.min(30_000, maxMs)), 1, LONGEST_DEADLINE_MS);
  if (defaultMs > maxMs) throw new Error(`VECTRON_DEFAULT_DEADLINE_MS: ${defaultMs} exceeds VECTRON_MAX_DEADLINE_MS (${maxMs})`);
  return { maxMs, defaultMs };
}

/** VECTRON_JWT_KEYS, checked here so that a bad list stops the start with a message naming it. */
function readSessionKeys(env: Record<string, string | undefined>): string | undefined {
  const text = env.VECTRON_JWT_KEYS || undefined;
  if (text === undefined) return undefined;
  if (env.VECTRON_JWT_SECRET) throw new Error("VECTRON_JWT_KEYS and VECTRON_JWT_SECRET: set one, not both (a secret can be one kid:secret of the list)");
  try {
    parseSessionKeyList(text);
  } catch (err) {
    throw new Error(`VECTRON_JWT_KEYS: ${(err as Error).message}`);
  }
  return text;
}

/** True when this process runs every role: the embedded single node. */
export function isSingleNode(config: ServeConfig): boolean {
  return allRoles.every((role) => config.roles.has(role));
}

/**
 * A cluster node must share its database and secrets with the other nodes: generated
 * secrets or an embedded database would silently split the cluster, so they are refused.
 */
function checkClusterConfig(config: ServeConfig): void {
  if (config.advertiseHost === "0.0.0.0" || config.advertiseHost === "::") {
    throw new Error("--advertise-host: give the address other nodes reach this one at (--host listens on every interface)");
  }
  if (isSingleNode(config)) return;
  const has = (role: Role) => config.roles.has(role);
  if ((has("auth") || has("placement") || has("api")) && !config.databaseUrl) {
    throw new Error("VECTRON_DATABASE_URL: a cluster node with the auth, placement or api role needs the shared Postgres");
  }
  if (!config.clusterSecret) throw new Error("VECTRON_CLUSTER_SECRET: every node of a cluster needs the same cluster secret");
  if ((has("auth") || has("api")) && !config.jwtSecret && !config.jwtKeys) {
    throw new Error("VECTRON_JWT_SECRET or VECTRON_JWT_KEYS: nodes with the auth or api role need the cluster's session keys");
  }
  if (!has("placement") && (has("worker") || has("api")) && config.placementUrls.length === 0) {
    throw new Error("--placement: a worker or api node without the placement role needs the placement nodes' URLs");
  }
  for (const url of config.placementUrls) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`--placement: ${JSON.stringify(url)} is not a base URL like http://10.0.0.2:8080`);
    // The cluster secret travels with every internal call: never in cleartext from a TLS node.
    if (config.tls && !url.startsWith("https://")) {
      throw new Error(`--placement: ${JSON.stringify(url)}: this node serves TLS (VECTRON_TLS_CERT), so give the placement nodes' https:// URLs`);
    }
  }
}

function parseRoles(text: string | undefined): ReadonlySet<Role> {
  if (text === undefined || text.trim() === "") return new Set(allRoles);
  const roles = splitList(text);
  for (const role of roles) {
    if (!(allRoles as readonly string[]).includes(role)) {
      throw new Error(`--roles: unknown role ${JSON.stringify(role)}; roles are ${allRoles.join(", ")}`);
    }
  }
  return new Set(roles as Role[]);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name}: ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  return value as T;
}

function splitList(text: string | undefined): string[] {
  return (text ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

/** Exact origins (scheme://host[:port]) or "*"; anything else is refused at start-up. */
function readCorsOrigins(text: string | undefined): string[] {
  const origins = splitList(text);
  for (const origin of origins) {
    if (origin === "*") continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {}
    if (!parsed || parsed.origin !== origin) {
      throw new Error(`VECTRON_CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://app.example.com (no path, no trailing slash)`);
    }
  }
  return origins;
}
