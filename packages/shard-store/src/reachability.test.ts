import { expect, test } from "bun:test";
import { openShardStore } from "./index";
import { makeTempDir, randomVector, seededRandom } from "./test-fixtures";

/**
 * Every stored point must be reachable by search. usearch's multi-threaded add can
 * orphan nodes (unum-cloud/USearch#735); with it, about 1 build in 20 of this size lost
 * points, so 40 builds catch a regression with high probability. Each point's own
 * vector must come back first (euclidean distance 0).
 */
test("every point of many batched builds is found by its own vector", () => {
  const misses: string[] = [];
  for (let build = 0; build < 40; build++) {
    const temp = makeTempDir();
    const store = openShardStore({ dir: temp.dir, dimension: 8, metric: "euclidean" });
    try {
      const random = seededRandom(build);
      const points = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 8), payload: "{}" }));
      store.apply(points, []);
      for (const point of points) {
        const top = store.search(point.vector, 1, { payload: false, vector: false })[0];
        if (top?.id !== point.id) misses.push(`build ${build}: ${point.id}`);
      }
    } finally {
      store.drop();
      temp.cleanup();
    }
  }
  expect(misses).toEqual([]);
});
