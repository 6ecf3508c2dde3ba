import { expect, test } from "bun:test";
import { openShardStore } from "./open-shard-store";
import { makeTempDir, randomVector, seededRandom } from "./test-fixtures";
import type { Metric } from "./types";

for (const metric of ["cosine", "euclidean", "dot"] as Metric[]) {
  test(`searchBatch (${metric}) answers each query as search does`, () => {
    const temp = makeTempDir();
    const store = openShardStore({ dir: temp.dir, dimension: 16, metric });
    try {
      const random = seededRandom(7);
      const points = Array.from({ length: 400 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 16), payload: `{"i":${i}}` }));
      store.apply(points, ["p3", "p5"]);
      const queries = Array.from({ length: 25 }, () => randomVector(random, 16));
      const options = { payload: true, vector: true };
      const batch = store.searchBatch(queries, 7, options);
      expect(batch).toHaveLength(25);
      queries.forEach((query, q) => expect(batch[q]).toEqual(store.search(query, 7, options)));
      expect(batch.flat().some((hit) => hit.id === "p3" || hit.id === "p5")).toBe(false);
      expect(store.searchBatch([], 7, options)).toEqual([]);
      // usearch answers a batch of one with single-query matches (no counts): still one list.
      expect(store.searchBatch(queries.slice(0, 1), 7, options)).toEqual([store.search(queries[0]!, 7, options)]);
      expect(store.searchBatch(queries.slice(0, 2), 0, options)).toEqual([[], []]);
      expect(() => store.searchBatch([new Float32Array(3)], 1, options)).toThrow("dimensions");
    } finally {
      store.close();
      temp.cleanup();
    }
  });
}
