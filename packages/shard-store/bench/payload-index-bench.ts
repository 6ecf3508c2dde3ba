/**
 * Payload index figures: filtered Count and Search latency at 1% and 0.1% of the points
 * matching (and 10%, where search takes the HNSW path), on one shard of 100,000 points
 * derived from SIFT, without and then with an integer index on `bucket`; plus what the
 * index costs to build and on writes. Results are checked to be the same both ways.
 * Run: bun packages/shard-store/bench/payload-index-bench.ts [points, default 100000]
 */
import type { PayloadFilter } from "@vectron/payload-filter";
import { openShardStore, type PointInput, type ShardStore } from "../src/index";
import { makeTempDir, readSift, seededRandom } from "../src/test-fixtures";

const total = Number(process.argv[2] ?? 100_000);
const sift = await readSift();
const baseVectors = sift.vectors.slice(0, 4500);
const queries = sift.vectors.slice(4500, 4600);

/** Point i: SIFT row i mod 4,500, plus ±2 per feature after the first pass; bucket = i mod 1,000. */
function point(i: number, random: () => number, version = 0): PointInput {
  const row = baseVectors[i % baseVectors.length]!;
  const vector = i < baseVectors.length ? row : row.map((x) => Math.max(0, x + Math.round(random() * 4 - 2)));
  return { id: `p${i}`, vector, payload: JSON.stringify({ bucket: i % 1000, row: i, tag: "sift", version }) };
}

const bucket = (test: PayloadFilter["must"][number]["test"]): PayloadFilter => ({
  must: [{ path: ["bucket"], key: "bucket", test }],
  should: [],
  mustNot: [],
});
const cases: { label: string; filter: PayloadFilter }[] = [
  { label: "10% (bucket < 100)", filter: bucket({ kind: "range", lt: 100 }) },
  { label: "1% (bucket < 10)", filter: bucket({ kind: "range", lt: 10 }) },
  { label: "0.1% (bucket = 7)", filter: bucket({ kind: "equals", values: [7] }) },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median milliseconds of fn over `runs` calls (after one warm-up call). */
function timeMs(runs: number, fn: (run: number) => void): number {
  fn(0);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    fn(run);
    times.push(performance.now() - started);
  }
  return median(times);
}

interface Figures {
  count: number;
  countMs: number;
  searchMs: number;
  results: string[][];
}

function measure(store: ShardStore, filter: PayloadFilter): Figures {
  const count = store.count(filter);
  const countMs = timeMs(21, () => store.count(filter));
  const results: string[][] = [];
  const searchMs = timeMs(queries.length, (i) => {
    results[i] = store.search(queries[i]!, 10, { payload: false, vector: false }, 0, filter).map((hit) => hit.id);
  });
  return { count, countMs, searchMs, results };
}

/** Milliseconds to re-upsert `n` points (new payload versions) in batches of 1,000. */
function updateMs(store: ShardStore, n: number, version: number): number {
  const random = seededRandom(version);
  const started = performance.now();
  for (let start = 0; start < n; start += 1000) {
    store.apply(Array.from({ length: Math.min(1000, n - start) }, (_, j) => point(start + j, random, version)), []);
  }
  return performance.now() - started;
}

/**
 * Points per second of updates without and with the index, in alternating rounds (the
 * HNSW graph slows as it absorbs updates, which would favour whichever came first).
 */
function updateRates(store: ShardStore): { without: number; with: number } {
  const ms = { without: 0, with: 0 };
  for (let round = 0; round < 4; round++) {
    const indexed = round % 2 === 1;
    if (indexed) store.createPayloadIndex("bucket", "integer");
    ms[indexed ? "with" : "without"] += updateMs(store, 5_000, round + 1);
    if (indexed) store.dropPayloadIndex("bucket");
  }
  return { without: 10_000 / (ms.without / 1000), with: 10_000 / (ms.with / 1000) };
}

const temp = makeTempDir("payload-index-bench-");
const store = openShardStore({ dir: temp.dir, dimension: 128, metric: "euclidean" });
try {
  const random = seededRandom(1);
  let started = performance.now();
  for (let start = 0; start < total; start += 1000) {
    store.apply(Array.from({ length: Math.min(1000, total - start) }, (_, j) => point(start + j, random)), []);
  }
  console.log(`built a ${total.toLocaleString("en")}-point shard in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Writes first: they reshape the HNSW graph, and both measurements must see the same one.
  const rates = updateRates(store);
  const without = cases.map((c) => measure(store, c.filter));
  started = performance.now();
  store.createPayloadIndex("bucket", "integer");
  console.log(`createPayloadIndex("bucket", "integer") over ${total.toLocaleString("en")} points: ${(performance.now() - started).toFixed(0)} ms`);
  const withIndex = cases.map((c) => measure(store, c.filter));

  console.log("| matching | count | Count without / with index | Search k=10 without / with index |");
  console.log("|---|---|---|---|");
  cases.forEach((c, i) => {
    const a = without[i]!;
    const b = withIndex[i]!;
    if (a.count !== b.count || JSON.stringify(a.results) !== JSON.stringify(b.results)) {
      const diff = a.results.findIndex((r, q) => JSON.stringify(r) !== JSON.stringify(b.results[q]));
      throw new Error(`${c.label}: results differ with the index: ${a.count} vs ${b.count}, query ${diff}: ${a.results[diff]} vs ${b.results[diff]}`);
    }
    const ms = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)} ms`;
    console.log(`| ${c.label} | ${a.count} | ${ms(a.countMs)} / ${ms(b.countMs)} | ${ms(a.searchMs)} / ${ms(b.searchMs)} |`);
  });
  console.log(`updates (2 × 5,000 points each way, batches of 1,000): ${rates.without.toFixed(0)} points/s without the index, ${rates.with.toFixed(0)} with it`);
} finally {
  store.drop();
  temp.cleanup();
}
