import { resolve } from "node:path";
import { parseArgs } from "node:util";

/** Everything `vectron serve` can be told; read from flags and the environment here only. */
export interface ServeConfig {
  host: string;
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
}

export const serveUsage = `Usage: vectron serve [options]

Starts every role (auth, placement, worker, api) in one process.

Options (environment variable in brackets):
  --host <addr>          listen address [VECTRON_HOST] (default 127.0.0.1)
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
`;

/** Parses `serve` flags over the environment; throws a message fit for the terminal. */
export function readServeConfig(args: string[], env: Record<string, string | undefined>): ServeConfig | "help" {
  const { values } = parseArgs({
    args,
    options: {
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
  return {
    host: values.host ?? env.VECTRON_HOST ?? "127.0.0.1",
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
  };
}

function toInt(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}: expected an integer between ${min} and ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
