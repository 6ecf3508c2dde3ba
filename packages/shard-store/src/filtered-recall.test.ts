import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadMnist } from "@vectron/datasets";
import type { PayloadFilter } from "@vectron/payload-filter";
import { openShardStore, type ShardStore } from "./index";
import { exactSearch, makeTempDir, readSift } from "./test-fixtures";

const sift = await readSift();
const base = sift.ids.slice(0, 4500).map((id, i) => ({ id, vector: sift.vectors[i]!, row: i }));
const queries = sift.vectors.slice(4500, 4700);

/** `bucket` = row mod 1000, so `bucket < n` selects n/1000 of the points. */
const payloadOf = (row: number) => JSON.stringify({ bucket: row % 1000, parity: row % 2 === 0 ? "even" : "odd" });
const below = (n: number): PayloadFilter => ({
  must: [{ path: ["bucket"], key: "bucket", test: { kind: "range", lt: n } }],
  should: [],
  mustNot: [],
});

function filteredRecall(store: ShardStore, filter: PayloadFilter, keep: (row: number) => boolean): number {
  const candidates = base.filter((point) => keep(point.row));
  let found = 0;
  let wanted = 0;
  for (const query of queries) {
    const truth = new Set(exactSearch("euclidean", candidates, query, 10).map((hit) => hit.id));
    const hits = store.search(query, 10, { payload: true, vector: false }, 0, filter);
    for (const hit of hits) {
      expect(keep(JSON.parse(hit.payload!).bucket)).toBe(true);
      if (truth.has(hit.id)) found++;
    }
    expect(hits.length).toBe(truth.size);
    wanted += truth.size;
  }
  return wanted === 0 ? 1 : found / wanted;
}

describe("filtered search on SIFT keeps its recall at every selectivity", () => {
  const temp = makeTempDir();
  let store: ShardStore;
  beforeAll(() => {
    store = openShardStore({ dir: temp.dir, dimension: 128, metric: "euclidean" });
    store.apply(base.map((p) => ({ id: p.id, vector: p.vector, payload: payloadOf(p.row) })), []);
  });
  afterAll(() => {
    store.close();
    temp.cleanup();
  });

  for (const [label, n] of [["100%", 1000], ["50%", 500], ["10%", 100], ["1%", 10], ["0.1%", 1], ["0%", 0]] as const) {
    test(`${label} of the points match`, () => {
      const filter = below(n);
      const recall = filteredRecall(store, filter, (bucket) => bucket % 1000 < n);
      console.log(`SIFT filtered recall@10 at ${label}: ${recall.toFixed(4)}`);
      expect(recall).toBeGreaterThanOrEqual(0.95);
      expect(store.count(filter)).toBe(base.filter((p) => p.row % 1000 < n).length);
    });
  }
});

describe("filtered search on MNIST by digit label", () => {
  const temp = makeTempDir();
  let store: ShardStore;
  let images: Float32Array[];
  let labels: number[];
  beforeAll(async () => {
    ({ images, labels } = await loadMnist());
    store = openShardStore({ dir: temp.dir, dimension: 784, metric: "euclidean" });
    store.apply(images.slice(0, 5000).map((vector, i) => ({ id: `m${i}`, vector, payload: JSON.stringify({ digit: labels[i] }) })), []);
  });
  afterAll(() => {
    store.close();
    temp.cleanup();
  });

  test("the nearest images of one digit (about 10% of the points)", () => {
    const points = images.slice(0, 5000).map((vector, i) => ({ id: `m${i}`, vector, digit: labels[i]! }));
    let found = 0;
    let wanted = 0;
    for (let q = 9000; q < 9100; q++) {
      const digit = labels[q]!;
      const filter: PayloadFilter = { must: [{ path: ["digit"], key: "digit", test: { kind: "equals", values: [digit] } }], should: [], mustNot: [] };
      const truth = new Set(exactSearch("euclidean", points.filter((p) => p.digit === digit), images[q]!, 10).map((h) => h.id));
      const hits = store.search(images[q]!, 10, { payload: true, vector: false }, 0, filter);
      for (const hit of hits) {
        expect(JSON.parse(hit.payload!).digit).toBe(digit);
        if (truth.has(hit.id)) found++;
      }
      wanted += truth.size;
    }
    const recall = found / wanted;
    console.log(`MNIST filtered recall@10 by digit: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });
});
