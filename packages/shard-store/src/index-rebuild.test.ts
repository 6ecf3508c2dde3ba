import { expect, test } from "bun:test";
import { openShardStore } from "./index";
import { exactSearch, makeTempDir, randomVector, seededRandom } from "./test-fixtures";

test("a rebuild interleaved with writes ends with exactly the live points, and survives a restart", () => {
  const temp = makeTempDir();
  const random = seededRandom(21);
  let store = openShardStore({ dir: temp.dir, dimension: 8, metric: "euclidean" });
  try {
    const live = new Map<string, Float32Array>();
    const upsert = (from: number, to: number) => {
      const points = [];
      for (let i = from; i < to; i++) {
        const vector = randomVector(random, 8);
        live.set(`p${i}`, vector);
        points.push({ id: `p${i}`, vector, payload: "{}" });
      }
      store.apply(points, []);
    };
    const remove = (ids: string[]) => {
      for (const id of ids) live.delete(id);
      store.apply([], ids);
    };
    upsert(0, 1000);
    remove(Array.from({ length: 400 }, (_, i) => `p${i * 2}`));
    expect(store.deletedFraction()).toBeCloseTo(400 / 1000, 5);

    const rebuild = store.startIndexRebuild();
    expect(rebuild.step(300)).toBe(false);
    upsert(1000, 1100); // new points during the rebuild
    remove(["p1", "p3", "p1050"]); // deletes of points already copied and of new ones
    upsert(5, 6); // re-insert of a deleted id
    while (!rebuild.step(300));
    upsert(1100, 1110);
    rebuild.finish();
    expect(store.deletedFraction()).toBe(0);
    expect(store.count()).toBe(live.size);

    const check = () => {
      const points = [...live].map(([id, vector]) => ({ id, vector }));
      for (let q = 0; q < 30; q++) {
        const query = randomVector(random, 8);
        const hits = store.search(query, 10, { payload: false, vector: false });
        for (const hit of hits) expect(live.has(hit.id)).toBe(true);
        const truth = exactSearch("euclidean", points, query, 10).map((h) => h.id);
        const found = hits.filter((hit) => truth.includes(hit.id)).length;
        expect(found).toBeGreaterThanOrEqual(9);
      }
      // Every live point is reachable by its own vector.
      for (const [id, vector] of [...live].slice(0, 200)) {
        expect(store.search(vector, 1, { payload: false, vector: false })[0]?.id).toBe(id);
      }
    };
    check();
    store.close();
    store = openShardStore({ dir: temp.dir, dimension: 8, metric: "euclidean" });
    expect(store.openInfo).toMatchObject({ loadedIndex: true, rebuilt: false });
    check();
  } finally {
    store.close();
    temp.cleanup();
  }
});

test("an index save during a rebuild keeps the removals the rebuild still has to replay", () => {
  const temp = makeTempDir();
  const random = seededRandom(5);
  const store = openShardStore({ dir: temp.dir, dimension: 8, metric: "euclidean" });
  try {
    store.apply(Array.from({ length: 1000 }, (_, i) => ({ id: `p${i}`, vector: randomVector(random, 8), payload: "{}" })), []);
    const rebuild = store.startIndexRebuild();
    rebuild.step(500);
    store.apply([], Array.from({ length: 200 }, (_, i) => `p${i}`));
    store.saveIndex(); // would prune the removals the rebuild needs
    rebuild.finish();
    expect(store.search(randomVector(random, 8), 800, { payload: false, vector: false })).toHaveLength(800);
    expect(() => store.startIndexRebuild().abandon()).not.toThrow();
  } finally {
    store.close();
    temp.cleanup();
  }
});
