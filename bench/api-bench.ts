import type { BenchClient, BenchHit } from "./api-clients";
import { closedLoop } from "./closed-loop";
import type { JsonFilter } from "./search-filter";
import { median, medianSummary, summarize, type Summary } from "./timing";
import { meanRecall, type ApiWorkload, type BenchPoint, type PointSource, type Workload } from "./workload";

/** Timed passes of one figure; the median of each is reported. */
export interface Repetitions {
  repetitions: number;
}

/** A summary plus the recall@10 the searches reached (median over repetitions). */
export interface SearchSummary extends Summary {
  recall: number;
}

let collectionCounter = 0;
/** A collection name no earlier call of this process used. */
export const freshName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${collectionCounter++}`;

/**
 * Upserts `points` in batches of `batchSize`, one request at a time, each awaited (the
 * server answers once the batch is durable); returns the pass, in vectors.
 */
export async function ingestOnce(client: BenchClient, collection: string, points: PointSource, batchSize: number) {
  const batches = Math.ceil(points.length / batchSize);
  let acknowledged = 0;
  const pass = await closedLoop(
    batches,
    1,
    async (b) => {
      acknowledged += await client.upsert(collection, points.slice(b * batchSize, (b + 1) * batchSize));
    },
    (b) => Math.min(batchSize, points.length - b * batchSize),
  );
  if (acknowledged !== points.length) throw new Error(`${client.protocol}: ${acknowledged} of ${points.length} upserts acknowledged`);
  return pass;
}

/**
 * Ingest of every point of the workload with its payload into a new single-shard
 * collection per repetition, in batches of `batchSize`, each batch awaited (the server answers once it
 * is durably committed). Rate in vectors/s; latencies per batch. A warm-up ingest of
 * 1,000 points into a throwaway collection comes first; every collection is deleted after.
 */
export async function benchIngest(
  client: BenchClient,
  workload: ApiWorkload,
  batchSize: number,
  { repetitions }: Repetitions,
): Promise<Summary> {
  const run = async (points: readonly BenchPoint[]) => {
    const name = freshName(`ingest-${client.protocol}-${batchSize}`);
    await client.createCollection(name, { dimension: workload.dimension, shardCount: 1 });
    try {
      return await ingestOnce(client, name, points, batchSize);
    } finally {
      await client.deleteCollection(name);
    }
  };
  await run(workload.points.slice(0, 1000));
  const summaries: Summary[] = [];
  for (let r = 0; r < repetitions; r++) summaries.push(summarize(await run(workload.points)));
  return medianSummary(summaries);
}

/** Creates a single-shard collection holding every point (untimed), for the search passes. */
export async function loadSearchCollection(client: BenchClient, workload: ApiWorkload): Promise<string> {
  const name = freshName("search");
  await client.createCollection(name, { dimension: workload.dimension, shardCount: 1 });
  await ingestOnce(client, name, workload.points, 1000);
  return name;
}

/** Fails unless a search answers ids from the set with their payloads (the default). */
export async function checkSearchAnswers(client: BenchClient, collection: string, workload: Workload): Promise<void> {
  const hits = await client.search(collection, workload.queryVectors[0]!);
  const first = hits[0];
  const payload = first?.payload as { sourceId?: unknown } | undefined;
  if (hits.length !== 10 || payload?.sourceId !== first?.id) {
    throw new Error(`${client.protocol}: search answered ${hits.length} hits, first ${JSON.stringify(first)}`);
  }
}

/** What a search pass may add to the plain one. */
export interface SearchOptions {
  /** The filter of query i; `workload.truthIds` must then be the filtered truth. */
  filterOf?: (query: number) => JsonFilter | undefined;
  /** Searches before the timed passes, at the same concurrency (default 200). */
  warmUp?: number;
  /** Called on every answer of every timed pass once that pass is over (untimed); throws to fail the run. */
  check?: (query: number, hits: readonly BenchHit[]) => void;
}

/**
 * Every query of the workload as a search, with `inFlight` outstanding, per repetition,
 * after a warm-up at the same concurrency. Rate in searches/s, latency per search.
 */
export async function benchSearch(
  client: BenchClient,
  collection: string,
  workload: Pick<Workload, "queryVectors" | "truthIds">,
  inFlight: number,
  { repetitions }: Repetitions,
  { filterOf = () => undefined, warmUp = 200, check }: SearchOptions = {},
): Promise<SearchSummary> {
  const queries = workload.queryVectors;
  const search = (i: number) => client.search(collection, queries[i]!, filterOf(i));
  await closedLoop(warmUp, inFlight, (i) => search(i % queries.length));
  const summaries: Summary[] = [];
  const recalls: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const answers: BenchHit[][] = new Array(queries.length);
    const pass = await closedLoop(queries.length, inFlight, async (i) => {
      answers[i] = await search(i);
    });
    summaries.push(summarize(pass));
    if (check) answers.forEach((hits, i) => check(i, hits));
    recalls.push(meanRecall(workload, answers.map((hits) => hits.map((hit) => hit.id))));
  }
  return { ...medianSummary(summaries), recall: median(recalls) };
}

/**
 * Batch search: the queries in SearchBatch requests of `batchSize`, `inFlight` requests
 * outstanding. Rate in queries/s; latency per request; recall@10 over all queries.
 */
export async function benchBatchSearch(
  client: BenchClient,
  collection: string,
  workload: Pick<Workload, "queryVectors" | "truthIds">,
  batchSize: number,
  inFlight: number,
  { repetitions }: Repetitions,
): Promise<SearchSummary> {
  const queries = workload.queryVectors;
  const requests = Math.ceil(queries.length / batchSize);
  const batchOf = (b: number) => queries.slice(b * batchSize, (b + 1) * batchSize);
  await closedLoop(requests, inFlight, (b) => client.searchBatch(collection, batchOf(b)));
  const summaries: Summary[] = [];
  const recalls: number[] = [];
  for (let r = 0; r < repetitions; r++) {
    const answers: BenchHit[][] = new Array(queries.length);
    const pass = await closedLoop(
      requests,
      inFlight,
      async (b) => {
        const results = await client.searchBatch(collection, batchOf(b));
        results.forEach((hits, i) => (answers[b * batchSize + i] = hits));
      },
      (b) => batchOf(b).length,
    );
    summaries.push(summarize(pass));
    recalls.push(meanRecall(workload, answers.map((hits) => hits.map((hit) => hit.id))));
  }
  return { ...medianSummary(summaries), recall: median(recalls) };
}

/** Creates a single-shard collection holding one point (untimed), for the floor passes. */
export async function loadFloorCollection(client: BenchClient, workload: ApiWorkload): Promise<string> {
  const name = freshName("floor");
  await client.createCollection(name, { dimension: workload.dimension, shardCount: 1 });
  await ingestOnce(client, name, workload.points.slice(0, 1), 1);
  return name;
}

/**
 * The request floor: Count on a one-point collection, one at a time, 1,000 calls per
 * repetition after 200 to warm up. Authentication, the cached shard map, one call into
 * the in-process worker and a near-empty message: what every data call pays before
 * any real work. (ListCollections is no floor: it asks the placement database each time.)
 */
export async function benchFloor(client: BenchClient, collection: string, { repetitions }: Repetitions): Promise<Summary> {
  const call = async () => {
    const count = await client.count(collection);
    if (count !== 1) throw new Error(`${client.protocol}: the floor collection counts ${count} points`);
  };
  await closedLoop(200, 1, call);
  const summaries: Summary[] = [];
  for (let r = 0; r < repetitions; r++) summaries.push(summarize(await closedLoop(1000, 1, call)));
  return medianSummary(summaries);
}
