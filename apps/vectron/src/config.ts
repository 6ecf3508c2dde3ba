import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Limits } from "@vectron/api";
import { toInt } from "./integer-setting";
import { readLimits } from "./limits-config";

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
  /** HTTP/2 cleartext port: gRPC (and Connect/gRPC-Web over HTTP/2). 0 picks a free port. */
  grpcPort: number;
  dataDir: string;
  /** Postgres for accounts and placement; PGlite under dataDir when absent. */
  databaseUrl: string | undefined;
  /** Session JWT signing secret; generated and kept in dataDir when absent. */
  jwtSecret: string | undefined;
  /** Shared secret of internal services; generated and kept in dataDir when absent. */
  clusterSecret: string | undefined;
  bcryptCost: number;
  maxRequestBytes: number;
  indexSaveIntervalMs: number;
  /** Threads holding shards (index and SQLite work); undefined: one per core; 0: the request thread. */
  shardThreads: number | undefined;
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
  --grpc-port <n>        gRPC (HTTP/2 cleartext) port [VECTRON_GRPC_PORT] (default port + 1)
  --data-dir <dir>       where everything is stored [VECTRON_DATA_DIR] (default ./data)
  -h, --help             this text

Environment only:
  VECTRON_DATABASE_URL        Postgres URL for accounts and placement (default: embedded PGlite in <data-dir>/pglite)
  VECTRON_JWT_SECRET          session signing secret, >= 32 characters (default: generated into <data-dir>/secrets)
  VECTRON_CLUSTER_SECRET      internal services' secret, >= 32 characters (default: generated into <data-dir>/secrets)
  VECTRON_BCRYPT_COST         bcrypt cost for passwords, >= 10 (default 12)
  VECTRON_MAX_REQUEST_BYTES   largest request body (default 67108864)
  VECTRON_INDEX_SAVE_INTERVAL_MS  how often changed HNSW indexes are saved (default 30000)
  VECTRON_SHARD_THREADS       threads holding shards, off the request thread (default: one per core;
                              0 keeps them on the request thread)
  VECTRON_LEASE_MS            placement: a worker is live this long after its last heartbeat (default 10000)
  VECTRON_PLACEMENT_TICK_MS   placement leader: how often it checks the cluster (default 1000)
  VECTRON_REPLICA_REPLACE_AFTER_MS  placement leader: offline time before a replica is re-created
                              elsewhere (default 30000)
  VECTRON_ROUTE_RETRY_MS      api: how long a data call waits for a shard's primary to move (default 15000)
  VECTRON_MAX_DIMENSION, VECTRON_MAX_BATCH_POINTS, VECTRON_MAX_PAYLOAD_BYTES, VECTRON_MAX_ID_BYTES,
  VECTRON_MAX_TOP_K, VECTRON_MAX_EF, VECTRON_MAX_BATCH_QUERIES, VECTRON_MAX_BATCH_RESULTS,
  VECTRON_MAX_SCROLL_LIMIT, VECTRON_MAX_SHARDS, VECTRON_MAX_REPLICATION_FACTOR
                              api: the public API's limits (README, "Limits")

A node that does not run every role is part of a cluster: it needs VECTRON_DATABASE_URL
(auth, placement, api), VECTRON_CLUSTER_SECRET, and VECTRON_JWT_SECRET (auth, api), the
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
    clusterSecret: env.VECTRON_CLUSTER_SECRET || undefined,
    bcryptCost: toInt("VECTRON_BCRYPT_COST", env.VECTRON_BCRYPT_COST ?? "12", 10, 31),
    maxRequestBytes: toInt("VECTRON_MAX_REQUEST_BYTES", env.VECTRON_MAX_REQUEST_BYTES ?? String(64 << 20), 1024, 2 ** 31 - 1),
    indexSaveIntervalMs: toInt("VECTRON_INDEX_SAVE_INTERVAL_MS", env.VECTRON_INDEX_SAVE_INTERVAL_MS ?? "30000", 100, 86_400_000),
    shardThreads: env.VECTRON_SHARD_THREADS ? toInt("VECTRON_SHARD_THREADS", env.VECTRON_SHARD_THREADS, 0, 256) : undefined,
    leaseMs: toInt("VECTRON_LEASE_MS", env.VECTRON_LEASE_MS ?? "10000", 1000, 600_000),
    placementTickMs: toInt("VECTRON_PLACEMENT_TICK_MS", env.VECTRON_PLACEMENT_TICK_MS ?? "1000", 50, 60_000),
    replaceAfterMs: toInt("VECTRON_REPLICA_REPLACE_AFTER_MS", env.VECTRON_REPLICA_REPLACE_AFTER_MS ?? "30000", 0, 86_400_000),
    routeRetryMs: toInt("VECTRON_ROUTE_RETRY_MS", env.VECTRON_ROUTE_RETRY_MS ?? "15000", 0, 600_000),
    limits: readLimits(env),
  };
  checkClusterConfig(config);
  return config;
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
  if ((has("auth") || has("api")) && !config.jwtSecret) {
    throw new Error("VECTRON_JWT_SECRET: nodes with the auth or api role need the cluster's session secret");
  }
  if (!has("placement") && (has("worker") || has("api")) && config.placementUrls.length === 0) {
    throw new Error("--placement: a worker or api node without the placement role needs the placement nodes' URLs");
  }
  for (const url of config.placementUrls) {
    if (!/^https?:\/\/[^/]+\/?$/.test(url)) throw new Error(`--placement: ${JSON.stringify(url)} is not a base URL like http://10.0.0.2:8080`);
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

function splitList(text: string | undefined): string[] {
  return (text ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

