import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { defaultExpansionSearch, openShardStore, type ShardStore, type ShardStoreOptions } from "./index";
import { exactSearch, makeTempDir, readSift } from "./test-fixtures";

/** recall@10 over SIFT queries against brute-force ground truth. */
function recallAt10(store: ShardStore, base: { id: string; vector: Float32Array }[], queries: Float32Array[]): number {
  let found = 0;
  for (const query of queries) {
    const truth = new Set(exactSearch("euclidean", base, query, 10).map((hit) => hit.id));
    for (const hit of store.search(query, 10, { payload: false, vector: false })) if (truth.has(hit.id)) found++;
  }
  return found / (queries.length * 10);
}

const sift = await readSift();

describe("recall on SIFT (4,500 base vectors, 500 queries)", () => {
  const base = sift.ids.slice(0, 4500).map((id, i) => ({ id, vector: sift.vectors[i]!, payload: `{"row":${i}}` }));
  const queries = sift.vectors.slice(4500);
  const temp = makeTempDir();
  const options: ShardStoreOptions = { dir: temp.dir, dimension: 128, metric: "euclidean" };
  let store: ShardStore;

  beforeAll(() => {
    store = openShardStore(options);
    for (let start = 0; start < base.length; start += 1000) store.apply(base.slice(start, start + 1000), []);
  });
  afterAll(() => {
    store.close();
    temp.cleanup();
  });

  test(`recall@10 >= 0.95 with the default expansionSearch (${defaultExpansionSearch})`, () => {
    expect(queries.length).toBe(500);
    expect(recallAt10(store, base, queries)).toBeGreaterThanOrEqual(0.95);
  });

  test("recall holds after a restart that loads the saved index", () => {
    store.close();
    store = openShardStore(options);
    expect(store.openInfo).toMatchObject({ loadedIndex: true, rebuilt: false, caughtUp: 0 });
    expect(recallAt10(store, base, queries)).toBeGreaterThanOrEqual(0.95);
  });
});
