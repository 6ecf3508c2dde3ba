import { afterEach, expect, test } from "bun:test";
import fc from "fast-check";
import { openShardStore, type Metric, type ShardStore, type ShardStoreOptions } from "./index";
import { exactScore, exactSearch, expectScoreClose, makeTempDir } from "./test-fixtures";

/**
 * The store against a plain Map model, over random sequences of batches (upserts and
 * deletes over a small id space), saves, clean reopens and abandoned (crash-like)
 * reopens. After every step: get, count, scroll and the change log equal the model, and
 * search returns exactly the exact-search top-k scores (at most 24 points: HNSW is
 * exact there), each hit live, with its current vector and a correct score.
 */

const dimension = 3;
const idSpace = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x"];
const idArb = fc.constantFrom(...idSpace);
// Quarter steps, first component never 0 (cosine needs non-zero vectors); ties are
// possible, which the score comparison tolerates.
const vectorArb = fc
  .array(fc.integer({ min: -20, max: 20 }), { minLength: dimension, maxLength: dimension })
  .map((xs) => Float32Array.from(xs, (x, i) => x / 4 + (i === 0 ? 0.125 : 0)));
const stepArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("apply" as const),
      upserts: fc.array(fc.record({ id: idArb, vector: vectorArb, tag: fc.nat(99) }), { maxLength: 8 }),
      deletes: fc.array(idArb, { maxLength: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "save" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "reopen" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "abandon" as const }) },
);
const queryArb = fc.record({ vector: vectorArb, k: fc.integer({ min: 1, max: 12 }) });

interface ModelPoint {
  vector: Float32Array;
  payload: string;
  seq: number;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function checkAgainstModel(
  store: ShardStore,
  metric: Metric,
  live: Map<string, ModelPoint>,
  tombstones: Map<string, number>,
  lastSeq: number,
  query: { vector: Float32Array; k: number },
): void {
  expect(store.count()).toBe(live.size);
  expect(store.lastSeq()).toBe(lastSeq);
  const sortedIds = [...live.keys()].sort();
  expect(store.scroll("", 100, { payload: true, vector: true })).toEqual(
    sortedIds.map((id) => ({ id, payload: live.get(id)!.payload, vector: live.get(id)!.vector })),
  );
  expect(store.get(idSpace, { payload: true, vector: false })).toEqual(
    idSpace.filter((id) => live.has(id)).map((id) => ({ id, payload: live.get(id)!.payload })),
  );
  const changes = store.changesSince(0, 1000).map((c) => `${c.seq}:${c.id}:${c.deleted}`);
  const expectedChanges = [
    ...[...live].map(([id, p]) => ({ seq: p.seq, key: `${p.seq}:${id}:false` })),
    ...[...tombstones].map(([id, seq]) => ({ seq, key: `${seq}:${id}:true` })),
  ].sort((a, b) => a.seq - b.seq);
  expect(changes).toEqual(expectedChanges.map((c) => c.key));

  const hits = store.search(query.vector, query.k, { payload: false, vector: true });
  const points = [...live].map(([id, p]) => ({ id, vector: p.vector }));
  const exact = exactSearch(metric, points, query.vector, query.k);
  expect(hits.length).toBe(exact.length);
  hits.forEach((hit, i) => {
    const point = live.get(hit.id);
    expect(point).toBeDefined();
    expect(hit.vector).toEqual(point!.vector);
    expectScoreClose(hit.score, exactScore(metric, query.vector, point!.vector));
    // Equal to the exact i-th score: the right points, in order, whatever the tie-breaks.
    expectScoreClose(hit.score, exact[i]!.score);
  });
}

test.each(["euclidean", "dot", "cosine"] as const)("%s: store matches a Map model under random batches, saves and restarts", (metric) => {
  fc.assert(
    fc.property(fc.array(fc.tuple(stepArb, queryArb), { minLength: 1, maxLength: 25 }), (steps) => {
      const temp = makeTempDir();
      const options: ShardStoreOptions = { dir: temp.dir, dimension, metric };
      let store = openShardStore(options);
      cleanups.push(temp.cleanup);
      try {
        const live = new Map<string, ModelPoint>();
        const tombstones = new Map<string, number>();
        let lastSeq = 0;
        for (const [step, query] of steps) {
          if (step.kind === "apply") {
            const upserts = step.upserts.map((u) => ({ id: u.id, vector: u.vector, payload: `{"tag":${u.tag}}` }));
            const latest = new Map(upserts.map((u) => [u.id, u]));
            let deleted = 0;
            for (const u of latest.values()) {
              live.set(u.id, { vector: u.vector, payload: u.payload, seq: ++lastSeq });
              tombstones.delete(u.id);
            }
            for (const id of step.deletes) {
              if (!live.delete(id)) continue;
              tombstones.set(id, ++lastSeq);
              deleted++;
            }
            expect(store.apply(upserts, step.deletes)).toEqual({ lastSeq, upserted: latest.size, deleted });
          } else if (step.kind === "save") {
            store.saveIndex();
          } else {
            if (step.kind === "reopen") store.close();
            // "abandon" drops the store without close(): its unsaved index is lost.
            store = openShardStore(options);
            expect(store.openInfo.rebuilt && store.count() > 0 && step.kind === "reopen").toBe(false);
          }
          checkAgainstModel(store, metric, live, tombstones, lastSeq, query);
        }
      } finally {
        store.close();
      }
    }),
    { numRuns: 60 },
  );
}, 60_000);
