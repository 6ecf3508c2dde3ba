import { expect, test } from "bun:test";
import fc from "fast-check";
import type { ApplyResult } from "@vectron/shard-store";
import { createShardWriteQueue } from "./shard-write-queue";
import { allPoints, openTempStore, point } from "./test-shard";

/**
 * Group commit against a plain Map model applied one request at a time in arrival
 * order. Requests (random upserts and deletes over a small id space, so ids collide
 * across requests) are issued without waiting for each other; a random subset waits a
 * turn before being issued, and a random point budget splits batches, so the requests
 * land in varied groupings. Every request's upserted/deleted must equal the model's,
 * sequences must grow with arrival order, and after every round the rows, the count
 * and the index must equal the model.
 */

const dimension = 2;
const idArb = fc.constantFrom("a", "b", "c", "d", "e", "f");
const requestArb = fc.record({
  upserts: fc.array(fc.record({ id: idArb, x: fc.integer({ min: -50, max: 50 }) }), { maxLength: 4 }),
  deletes: fc.array(idArb, { maxLength: 3 }),
  /** Wait one event-loop turn before issuing, so it joins a later batch. */
  waitTurn: fc.boolean(),
});
const scenarioArb = fc.record({
  maxPoints: fc.integer({ min: 1, max: 12 }),
  rounds: fc.array(fc.array(requestArb, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 4 }),
});

interface Request {
  upserts: { id: string; x: number }[];
  deletes: string[];
}

/** The model: what each request reports and what the shard holds, applied in order. */
function applyToModel(model: Map<string, number>, request: Request): { upserted: number; deleted: number } {
  const upserted = new Set<string>();
  for (const { id, x } of request.upserts) {
    upserted.add(id);
    model.set(id, x);
  }
  let deleted = 0;
  for (const id of request.deletes) if (model.delete(id)) deleted++;
  return { upserted: upserted.size, deleted };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

test("concurrent writes through the queue equal sequential application", async () => {
  await fc.assert(
    fc.asyncProperty(scenarioArb, async ({ maxPoints, rounds }) => {
      const { store, dispose } = openTempStore(dimension);
      try {
        const queue = createShardWriteQueue(store, { maxPoints });
        const model = new Map<string, number>();
        for (const round of rounds) {
          const inFlight: Promise<ApplyResult>[] = [];
          for (const request of round) {
            if (request.waitTurn) await turn();
            const upserts = request.upserts.map(({ id, x }) => point(id, x, dimension));
            inFlight.push(queue.apply(upserts, request.deletes));
          }
          const expected = round.map((request) => applyToModel(model, request));
          const results = await Promise.all(inFlight);
          expect(results.map(({ upserted, deleted }) => ({ upserted, deleted }))).toEqual(expected);
          const seqs = results.map((r) => r.lastSeq);
          expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
          expect(seqs.at(-1)).toBe(store.lastSeq());

          const want = [...model].sort(([a], [b]) => (a < b ? -1 : 1));
          expect(allPoints(store).map((q) => [q.id, q.vector![0], q.payload])).toEqual(
            want.map(([id, x]) => [id, x, JSON.stringify({ v: x })]),
          );
          expect(store.count()).toBe(model.size);
          // At most 6 points: HNSW search is exhaustive, so it must return exactly the live ids.
          const hits = store.search(new Float32Array(dimension), 10, { payload: false, vector: false });
          expect(hits.map((h) => h.id).sort()).toEqual(want.map(([id]) => id));
        }
        expect(queue.stats().requests).toBe(rounds.flat().length);
      } finally {
        dispose();
      }
    }),
    { numRuns: 60 },
  );
});
