import { newAccount } from "../test/support/accounts";
import { benchSearch, checkSearchAnswers, freshName, ingestOnce, type Repetitions, type SearchSummary } from "./api-bench";
import { createBenchClient, type BenchClient, type Protocol } from "./api-clients";
import type { BenchServers, BenchServer } from "./bench-server";
import { measureColdStart, type ColdStart } from "./cold-start";
import type { DerivedSet } from "./derived-set";
import { measureRuntimeMemory, type RuntimeMemory } from "./runtime-rss";
import { sampleServerMemory, type MemorySample } from "./server-memory";
import { shardFileBytes, type ShardFileBytes } from "./shard-files";
import { summarize, type Summary } from "./timing";

/** Batch size of the derived-set ingest. */
export const SCALE_BATCH = 1_000;
/** The protocol the derived set is ingested through (binary, durable acknowledgements). */
export const SCALE_INGEST_PROTOCOL: Protocol = "grpc";
/** The protocols its searches are timed through. */
export const SCALE_SEARCH_PROTOCOLS: readonly Protocol[] = ["connect-json", "grpc"];

/** A memory sample and, for a loaded stage, the empty stage its growth is measured from. */
export interface MemoryStage extends MemorySample {
  baselineStage?: string;
}

/** What the derived-set part of a run measured through the API. */
export interface ScaleApiResults {
  /** Each half of the set into a restarted server, one request at a time (one pass each: too long to repeat). */
  ingest: { protocol: Protocol; from: number; to: number; summary: Summary }[];
  /** One search at a time against the whole set. */
  search: { protocol: Protocol; summary: SearchSummary }[];
  /** Restarts with an empty collection and with the first half of the set. */
  coldStart: { points: number; runs: ColdStart[] }[];
  memory: { runtime: RuntimeMemory; stages: MemoryStage[] };
  /** The shard's files once the first half was saved by a graceful stop. */
  files: { points: number; bytes: ShardFileBytes };
}

/**
 * The derived set through one server, in this order: memory of the first start; cold
 * starts with an empty collection; memory (the baseline); the first half ingested (gRPC,
 * batches of 1,000, durable acks); memory; cold starts holding it (SIGTERM saves the
 * index); memory; the second half ingested; memory; searches over the whole set.
 */
export async function measureScale(
  servers: BenchServers,
  set: DerivedSet,
  { repetitions }: Repetitions,
  progress: (message: string) => void,
): Promise<ScaleApiResults> {
  progress("scale: memory of a bare Bun process and of Bun with PGlite");
  const runtime = await measureRuntimeMemory();
  const server = await servers.start();
  try {
    const { apiKey } = await newAccount(server.baseUrl, "bench-scale");
    const connect = (protocol: Protocol) => createBenchClient(protocol, { baseUrl: server.baseUrl, grpcAddress: server.grpcAddress, apiKey });
    const collection = freshName("derived");
    await withClient(connect("grpc"), (c) => c.createCollection(collection, { dimension: set.dimension, shardCount: 1 }));
    const coldStarts = async (points: number) => {
      const runs: ColdStart[] = [];
      for (let r = 0; r < repetitions; r++) {
        progress(`scale: cold start ${r + 1} of ${repetitions}, ${points} points`);
        runs.push(await measureColdStart(server, apiKey, collection, set.queryVectors[0]!, Math.min(10, points)));
      }
      return { points, runs };
    };
    const ingest = async (from: number, to: number) => {
      progress(`scale: ingest of derived points ${from}–${to}, ${SCALE_INGEST_PROTOCOL}, batches of ${SCALE_BATCH}`);
      const pass = await withClient(connect(SCALE_INGEST_PROTOCOL), (c) => ingestOnce(c, collection, set.points(from, to), SCALE_BATCH));
      return { protocol: SCALE_INGEST_PROTOCOL, from, to, summary: summarize(pass) };
    };
    const half = Math.floor(set.baseIds.length / 2);

    // The first start creates the PGlite database, which leaves the process far larger than
    // any later start (see the README): the restarted empty server is the baseline.
    const first: MemoryStage = sampleServerMemory(server, "first start (creates its PGlite database), empty collection", 0);
    const coldStart = [await coldStarts(0)];
    const empty: MemoryStage = sampleServerMemory(server, "restarted, empty collection", 0);
    const ingested = [await ingest(0, half)];
    const stages: MemoryStage[] = [first, empty, { ...sampleServerMemory(server, "after ingest of the first half", half), baselineStage: empty.stage }];
    coldStart.push(await coldStarts(half));
    const files = { points: half, bytes: shardFileBytes(server.dataDir) };
    stages.push({ ...sampleServerMemory(server, "restarted, saved index loaded", half), baselineStage: empty.stage });
    ingested.push(await ingest(half, set.baseIds.length));
    stages.push({ ...sampleServerMemory(server, "after ingest of the second half", set.baseIds.length), baselineStage: empty.stage });
    const search = await searchAll(server, apiKey, collection, set, repetitions, progress);
    return { ingest: ingested, search, coldStart, memory: { runtime, stages }, files };
  } finally {
    await server.stop();
  }
}

async function searchAll(
  server: BenchServer,
  apiKey: string,
  collection: string,
  set: DerivedSet,
  repetitions: number,
  progress: (message: string) => void,
): Promise<ScaleApiResults["search"]> {
  const search: ScaleApiResults["search"] = [];
  for (const protocol of SCALE_SEARCH_PROTOCOLS) {
    progress(`scale: search, one at a time, ${protocol}`);
    const client = createBenchClient(protocol, { baseUrl: server.baseUrl, grpcAddress: server.grpcAddress, apiKey });
    const summary = await withClient(client, async (c) => {
      await checkSearchAnswers(c, collection, set);
      return benchSearch(c, collection, set, 1, { repetitions });
    });
    search.push({ protocol, summary });
  }
  return search;
}

/** Runs `use` with `client` and closes the client however it ends. */
async function withClient<T>(client: BenchClient, use: (client: BenchClient) => Promise<T>): Promise<T> {
  try {
    return await use(client);
  } finally {
    client.close();
  }
}
