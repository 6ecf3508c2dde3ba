import { expect, test } from "bun:test";
import { openShardStore } from "./index";
import { exactSearch, makeTempDir, readSift } from "./test-fixtures";

const sift = await readSift();
const base = sift.ids.slice(0, 4500).map((id, i) => ({ id, vector: sift.vectors[i]!, payload: `{"row":${i}}` }));
const queries = sift.vectors.slice(4500);
const truths = queries.map((q) => new Set(exactSearch("euclidean", base, q, 10).map((hit) => hit.id)));

test("recall stays >= 0.95 after churning half the points three times (delete, re-insert), and across a restart", () => {
  const temp = makeTempDir();
  let store = openShardStore({ dir: temp.dir, dimension: 128, metric: "euclidean" });
  const recall = () => {
    let found = 0;
    queries.forEach((query, q) => {
      const hits = store.search(query, 10, { payload: false, vector: false });
      for (const hit of hits) if (truths[q]!.has(hit.id)) found++;
    });
    return found / (queries.length * 10);
  };
  try {
    store.apply(base, []);
    const figures = [recall()];
    for (let round = 0; round < 3; round++) {
      const half = base.filter((_, i) => (i + round) % 2 === 0);
      store.apply([], half.map((point) => point.id));
      expect(store.count()).toBe(2250);
      // Deleted points never come back.
      const deleted = new Set(half.map((point) => point.id));
      for (const query of queries.slice(0, 50)) {
        for (const hit of store.search(query, 10, { payload: false, vector: false })) expect(deleted.has(hit.id)).toBe(false);
      }
      store.apply(half, []);
      figures.push(recall());
    }
    store.close();
    store = openShardStore({ dir: temp.dir, dimension: 128, metric: "euclidean" });
    figures.push(recall());
    console.log(`recall@10 before churn, after each of 3 rounds of 50% churn, after a restart: ${figures.map((f) => f.toFixed(4)).join(", ")}`);
    for (const figure of figures) expect(figure).toBeGreaterThanOrEqual(0.95);
  } finally {
    store.close();
    temp.cleanup();
  }
});
