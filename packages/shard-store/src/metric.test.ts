import { afterEach, describe, expect, test } from "bun:test";
import { openShardStore, type Metric, type ShardStore } from "./index";
import { betterScore, exactScore, exactSearch, expectScoreClose, makeTempDir, randomVector, seededRandom } from "./test-fixtures";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function openWith(metric: Metric, dimension: number): ShardStore {
  const { dir, cleanup } = makeTempDir();
  const store = openShardStore({ dir, dimension, metric });
  cleanups.push(() => {
    store.close();
    cleanup();
  });
  return store;
}

describe.each(["cosine", "dot", "euclidean"] as const)("%s scores", (metric) => {
  test("match brute force, best first, and the exact top-k on a small set", () => {
    const dimension = 16;
    const random = seededRandom(metric.length);
    const store = openWith(metric, dimension);
    // Vary norms so dot and cosine rank differently.
    const points = Array.from({ length: 40 }, (_, i) => {
      const scale = 0.1 + random() * 5;
      return { id: `p${i}`, vector: randomVector(random, dimension).map((x) => x * scale), payload: "{}" };
    });
    store.apply(points, []);
    const byId = new Map(points.map((p) => [p.id, p.vector]));
    for (let q = 0; q < 20; q++) {
      const query = randomVector(random, dimension);
      const hits = store.search(query, 10, { payload: false, vector: true });
      expect(hits.length).toBe(10);
      for (const hit of hits) {
        expectScoreClose(hit.score, exactScore(metric, query, byId.get(hit.id)!));
        expect(hit.vector).toEqual(byId.get(hit.id)!);
      }
      for (let i = 1; i < hits.length; i++) {
        expect(betterScore(metric, hits[i]!.score, hits[i - 1]!.score)).toBe(false);
      }
      // 40 points are far below where HNSW approximates: results must be exact.
      const exact = exactSearch(metric, points, query, 10);
      expect(hits.map((h) => h.id)).toEqual(exact.map((e) => e.id));
    }
  });
});

test("euclidean scores are distances, not squared distances", () => {
  const store = openWith("euclidean", 2);
  store.apply([{ id: "far", vector: new Float32Array([3, 4]), payload: "{}" }], []);
  expect(store.search(new Float32Array([0, 0]), 1, { payload: false, vector: false })).toEqual([{ id: "far", score: 5 }]);
});

test("dot scores are raw dot products, cosine scores ignore length", () => {
  const dot = openWith("dot", 2);
  dot.apply([{ id: "a", vector: new Float32Array([2, 3]), payload: "{}" }], []);
  expect(dot.search(new Float32Array([4, 1]), 1, { payload: false, vector: false })[0]!.score).toBeCloseTo(11, 5);
  const cosine = openWith("cosine", 2);
  cosine.apply([{ id: "a", vector: new Float32Array([10, 0]), payload: "{}" }], []);
  expect(cosine.search(new Float32Array([1, 1]), 1, { payload: false, vector: false })[0]!.score).toBeCloseTo(Math.SQRT1_2, 5);
});
