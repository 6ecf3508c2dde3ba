import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { defaultExpansionSearch, openShardStore, type ShardStore, type ShardStoreOptions } from "./index";
import { exactSearch, makeTempDir, readSift } from "./test-fixtures";

/** recall@10 over SIFT queries against brute-force ground truth. */
function recallAt10(store: ShardStore, base: { id: string; vector: Float32Array }[], queries: Float32Array[], ef = 0): number {
  let found = 0;
  for (const query of queries) {
    const truth = new Set(exactSearch("euclidean", base, query, 10).map((hit) => hit.id));
    const hits = store.search(query, 10, { payload: false, vector: false }, ef);
    expect(hits).toHaveLength(10);
    for (const hit of hits) if (truth.has(hit.id)) found++;
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

  test("a per-request ef widens the search: recall rises with it, and ef below the default changes nothing", () => {
    const byDefault = recallAt10(store, base, queries);
    const narrow = recallAt10(store, base, queries, 8);
    const wide = recallAt10(store, base, queries, 256);
    console.log(`recall@10 on SIFT: ef 8 -> ${narrow}, default (${defaultExpansionSearch}) -> ${byDefault}, ef 256 -> ${wide}`);
    expect(narrow).toBe(byDefault);
    expect(wide).toBeGreaterThan(byDefault);
    expect(wide).toBeGreaterThanOrEqual(0.998);
  });

  test("recall holds after a restart that loads the saved index", () => {
    store.close();
    store = openShardStore(options);
    expect(store.openInfo).toMatchObject({ loadedIndex: true, rebuilt: false, caughtUp: 0 });
    expect(recallAt10(store, base, queries)).toBeGreaterThanOrEqual(0.95);
  });
});
