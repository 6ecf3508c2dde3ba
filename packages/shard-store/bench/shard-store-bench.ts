/**
 * Figures for README.md: recall@10 and search rate per expansionSearch, apply
 * throughput (batches of 1,000, 128-dim SIFT), and index load vs rebuild time.
 * Run: bun packages/shard-store/bench/shard-store-bench.ts
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openShardStore, type ShardStore } from "../src/index";
import { exactSearch, makeTempDir, readSift, seededRandom } from "../src/test-fixtures";

const sift = readSift();
const base = sift.ids.slice(0, 4500).map((id, i) => ({ id, vector: sift.vectors[i]!, payload: `{"row":${i},"tag":"sift"}` }));
const queries = sift.vectors.slice(4500);
const truth = queries.map((q) => new Set(exactSearch("euclidean", base, q, 10).map((h) => h.id)));
const temp = makeTempDir("shard-store-bench-");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fill(store: ShardStore, points: typeof base): number {
  const started = performance.now();
  for (let start = 0; start < points.length; start += 1000) store.apply(points.slice(start, start + 1000), []);
  return points.length / ((performance.now() - started) / 1000);
}

/** 45,000 points: each SIFT row plus 9 copies perturbed by ±2 per feature (real-ish data). */
function derived(): typeof base {
  const random = seededRandom(1);
  const points: typeof base = [];
  for (let copy = 0; copy < 10; copy++) {
    for (const point of base) {
      const vector = copy === 0 ? point.vector : point.vector.map((x) => Math.max(0, x + Math.round(random() * 4 - 2)));
      points.push({ id: `${point.id}-${copy}`, vector, payload: point.payload });
    }
  }
  return points;
}

// Recall and search rate per expansionSearch (built once per setting, as ef is fixed at construction).
for (const expansionSearch of [16, 32, 48, 64, 96, 128]) {
  const dir = join(temp.dir, `ef${expansionSearch}`);
  const store = openShardStore({ dir, dimension: 128, metric: "euclidean", expansionSearch });
  fill(store, base);
  let found = 0;
  const started = performance.now();
  queries.forEach((query, i) => {
    for (const hit of store.search(query, 10, { payload: false, vector: false })) if (truth[i]!.has(hit.id)) found++;
  });
  const rate = queries.length / ((performance.now() - started) / 1000);
  const withPayloadStart = performance.now();
  for (const query of queries) store.search(query, 10, { payload: true, vector: true });
  const ratePayload = queries.length / ((performance.now() - withPayloadStart) / 1000);
  console.log(
    `expansionSearch ${expansionSearch}: recall@10 ${(found / (queries.length * 10)).toFixed(4)}, ` +
      `${rate.toFixed(0)} searches/s (ids), ${ratePayload.toFixed(0)} searches/s (payload+vector)`,
  );
  store.drop();
}

// Apply throughput, load and rebuild, median of 3.
const applyRates: number[] = [];
const applyRates45k: number[] = [];
const loads: number[] = [];
const rebuilds: number[] = [];
const big = derived();
for (let round = 0; round < 3; round++) {
  const dir = join(temp.dir, `round${round}`);
  let store = openShardStore({ dir, dimension: 128, metric: "euclidean" });
  applyRates.push(fill(store, base));
  store.close();
  let started = performance.now();
  store = openShardStore({ dir, dimension: 128, metric: "euclidean" });
  loads.push(performance.now() - started);
  if (!store.openInfo.loadedIndex) throw new Error("expected a loaded index");
  store.close();
  rmSync(join(dir, "index.usearch"));
  started = performance.now();
  store = openShardStore({ dir, dimension: 128, metric: "euclidean" });
  rebuilds.push(performance.now() - started);
  if (!store.openInfo.rebuilt) throw new Error("expected a rebuild");
  store.drop();
  const bigStore = openShardStore({ dir: join(temp.dir, `big${round}`), dimension: 128, metric: "euclidean" });
  applyRates45k.push(fill(bigStore, big));
  bigStore.drop();
}
console.log(`apply, 4,500 SIFT points in batches of 1,000: ${median(applyRates).toFixed(0)} points/s (median of 3)`);
console.log(`apply, 45,000 derived points in batches of 1,000: ${median(applyRates45k).toFixed(0)} points/s (median of 3)`);
console.log(`open with saved index (4.5k): ${median(loads).toFixed(1)} ms; open with rebuild (4.5k, includes saving it): ${median(rebuilds).toFixed(1)} ms`);
temp.cleanup();
