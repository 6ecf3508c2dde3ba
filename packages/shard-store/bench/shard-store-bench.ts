/**
 * Figures for README.md: recall@10 and search rate per expansionSearch, apply
 * throughput (batches of 1,000, 128-dim SIFT), and index load vs rebuild time.
 * Run: bun packages/shard-store/bench/shard-store-bench.ts
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openShardStore, type ShardStore } from "../src/index";
import { exactSearch, makeTempDir, readSift, seededRandom } from "../src/test-fixtures";

const sift = await readSift();
const base = sift.ids.slice(0, 4500).map((id, i) => ({ id, vector: sift.vectors[i]!, payload: `{"row":${i},"tag":"sift"}` }));
const queries = sift.vectors.slice(4500);
const truth = queries.map((q) => new Set(exactSearch("euclidean", base, q, 10).map((h) => h.id)));
const temp = makeTempDir("shard-store-bench-");

/** Wall-clock and CPU (user + system) milliseconds of fn: CPU time is what a busy machine distorts least. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  fn();
  const cpu = process.cpuUsage(cpuBefore);
  return { wall: performance.now() - started, cpu: (cpu.user + cpu.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Points per second, by wall clock and by CPU time. */
function fill(store: ShardStore, points: typeof base): { wall: number; cpu: number } {
  const t = timed(() => {
    for (let start = 0; start < points.length; start += 1000) store.apply(points.slice(start, start + 1000), []);
  });
  return { wall: points.length / (t.wall / 1000), cpu: points.length / (t.cpu / 1000) };
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
  const idsOnly = timed(() =>
    queries.forEach((query, i) => {
      for (const hit of store.search(query, 10, { payload: false, vector: false })) if (truth[i]!.has(hit.id)) found++;
    }),
  );
  const withPayload = timed(() => {
    for (const query of queries) store.search(query, 10, { payload: true, vector: true });
  });
  const rate = (ms: number) => (queries.length / (ms / 1000)).toFixed(0);
  console.log(
    `expansionSearch ${expansionSearch}: recall@10 ${(found / (queries.length * 10)).toFixed(4)}, searches/s ` +
      `ids only ${rate(idsOnly.wall)} wall / ${rate(idsOnly.cpu)} cpu, ` +
      `with payload+vector ${rate(withPayload.wall)} wall / ${rate(withPayload.cpu)} cpu`,
  );
  store.drop();
}

// Apply throughput, load and rebuild, median of 3.
const applyRates: { wall: number; cpu: number }[] = [];
const applyRates45k: { wall: number; cpu: number }[] = [];
const loads: { wall: number; cpu: number }[] = [];
const rebuilds: { wall: number; cpu: number }[] = [];
const big = derived();
for (let round = 0; round < 3; round++) {
  const dir = join(temp.dir, `round${round}`);
  let store = openShardStore({ dir, dimension: 128, metric: "euclidean" });
  applyRates.push(fill(store, base));
  store.close();
  loads.push(timed(() => (store = openShardStore({ dir, dimension: 128, metric: "euclidean" }))));
  if (!store.openInfo.loadedIndex) throw new Error("expected a loaded index");
  store.close();
  rmSync(join(dir, "index.usearch"));
  rebuilds.push(timed(() => (store = openShardStore({ dir, dimension: 128, metric: "euclidean" }))));
  if (!store.openInfo.rebuilt) throw new Error("expected a rebuild");
  store.drop();
  const bigStore = openShardStore({ dir: join(temp.dir, `big${round}`), dimension: 128, metric: "euclidean" });
  applyRates45k.push(fill(bigStore, big));
  bigStore.drop();
}
const both = (xs: { wall: number; cpu: number }[], digits: number) =>
  `${median(xs.map((x) => x.wall)).toFixed(digits)} wall / ${median(xs.map((x) => x.cpu)).toFixed(digits)} cpu`;
console.log(`apply, 4,500 SIFT points in batches of 1,000: ${both(applyRates, 0)} points/s (median of 3)`);
console.log(`apply, 45,000 derived points in batches of 1,000: ${both(applyRates45k, 0)} points/s (median of 3)`);
console.log(`open with saved index (4.5k): ${both(loads, 1)} ms`);
console.log(`open with rebuild (4.5k, includes saving the new index): ${both(rebuilds, 1)} ms`);
temp.cleanup();
