import { createBenchClient } from "./api-clients";
import type { BenchServer } from "./bench-server";
import { now } from "./timing";

/** One restart of a server: how it stopped, how long until it answered, what it loaded. */
export interface ColdStart {
  /** SIGTERM to exit of the old process (which saves changed indexes first), in ms. */
  stopMs: number;
  /** Spawn of the new process to its "vectron listening" line, in ms. */
  listeningMs: number;
  /** Spawn to the first Search answered (Connect JSON over a new connection), in ms. */
  firstSearchMs: number;
  /** What the new process logged for each shard it reopened ("loaded saved index…" or "rebuilt index…"). */
  shardLines: string[];
}

const SHARD_LINE = /shard \S+: (?:loaded saved index|rebuilt index)[^\n]*/g;

/**
 * Restarts `server` (graceful SIGTERM, then a new process on the same data) and times the
 * new process from spawn until it answers a Search for `query` in `collection` with
 * `expectedHits` hits, asked as soon as it says where it listens.
 */
export async function measureColdStart(
  server: BenchServer,
  apiKey: string,
  collection: string,
  query: number[],
  expectedHits: number,
): Promise<ColdStart> {
  const { exit, child } = await server.restart();
  const client = createBenchClient("connect-json", { baseUrl: child.baseUrl, grpcAddress: child.grpcAddress, apiKey });
  const hits = await client.search(collection, query);
  const answeredAtNs = now();
  client.close();
  if (hits.length !== expectedHits) throw new Error(`cold start: the first search answered ${hits.length} hits, expected ${expectedHits}`);
  return {
    stopMs: exit.elapsedNs / 1e6,
    listeningMs: (child.listeningAtNs - child.spawnedAtNs) / 1e6,
    firstSearchMs: (answeredAtNs - child.spawnedAtNs) / 1e6,
    shardLines: child.output().match(SHARD_LINE) ?? [],
  };
}
