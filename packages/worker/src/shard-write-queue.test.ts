import { afterEach, expect, test } from "bun:test";
import type { PointInput, ShardStore } from "@vectron/shard-store";
import { createShardWriteQueue } from "./shard-write-queue";
import { allPoints, openTempStore, point } from "./test-shard";

const dimension = 4;
const p = (id: string, x: number) => point(id, x, dimension);

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
});
function tempStore(): ShardStore {
  const { store, dispose } = openTempStore(dimension);
  disposers.push(dispose);
  return store;
}

/**
 * The real store with one fault injected, to reach failures that validation cannot
 * foresee: `apply` throws for any batch holding `badId`, either before writing (as a
 * failed transaction does) or after the real commit (as a failed index update does).
 */
function withFault(store: ShardStore, badId: string, when: "before-commit" | "after-commit"): ShardStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === "apply") {
        return (upserts: PointInput[], deletes: string[]) => {
          const bad = upserts.some((u) => u.id === badId);
          if (bad && when === "before-commit") throw new Error("injected: transaction failed");
          const result = target.apply(upserts, deletes);
          if (bad) throw new Error("injected: committed, index update failed");
          return result;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

test("concurrent writes get their own results and the state of applying them in order", async () => {
  const store = tempStore();
  store.apply([p("c", 9), p("d", 9)], []);
  const queue = createShardWriteQueue(store);
  const results = await Promise.all([
    queue.apply([p("a", 1), p("b", 1), p("a", 2)], []), // a repeated: counts once, last wins
    queue.apply([], ["a", "c", "zz"]), // a from the batch before, c from before, zz never existed
    queue.apply([p("a", 3)], ["d", "d"]), // re-creates a; d deleted once
    queue.apply([p("b", 4)], ["b"]), // own upsert then own delete: removes b
    queue.apply([], ["c"]), // c already gone
  ]);
  expect(results.map(({ upserted, deleted }) => ({ upserted, deleted }))).toEqual([
    { upserted: 2, deleted: 0 },
    { upserted: 0, deleted: 2 },
    { upserted: 1, deleted: 1 },
    { upserted: 1, deleted: 1 },
    { upserted: 0, deleted: 0 },
  ]);
  expect(queue.stats()).toEqual({ requests: 5, transactions: 1 });
  for (const result of results) expect(result.lastSeq).toBe(store.lastSeq());
  expect(allPoints(store).map((q) => [q.id, q.vector![0], q.payload])).toEqual([["a", 3, '{"v":3}']]);
  expect(store.count()).toBe(1);
  // The index agrees with the rows.
  expect(store.search(p("q", 3).vector, 10, { payload: false, vector: false }).map((h) => h.id)).toEqual(["a"]);
});

test("50 concurrent single-point writes share far fewer than 50 transactions", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => queue.apply([p(`id-${i}`, i)], [])));
  expect(results.every((r) => r.upserted === 1 && r.deleted === 0)).toBe(true);
  expect(store.count()).toBe(50);
  // All 50 arrive in the same turn, so one flush takes them all.
  expect(queue.stats()).toEqual({ requests: 50, transactions: 1 });
});

test("writes arriving in later turns form later batches, still in arrival order", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  const first = queue.apply([p("a", 1)], []);
  await first; // one turn: the lone write was not held back for company
  expect(queue.stats().transactions).toBe(1);
  const second = [queue.apply([p("a", 2)], []), queue.apply([], ["a"]), queue.apply([p("a", 4)], [])];
  const results = await Promise.all(second);
  expect(results.map((r) => r.deleted)).toEqual([0, 1, 0]);
  expect(queue.stats().transactions).toBe(2);
  expect(allPoints(store).map((q) => q.vector![0])).toEqual([4]);
});

test("the point budget splits batches without reordering, and never splits a request", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store, { maxPoints: 3 });
  const results = await Promise.all([
    queue.apply([p("a", 1), p("b", 1)], []),
    queue.apply([p("a", 2), p("b", 2)], []), // 2 + 2 > 3: next transaction
    queue.apply([p("c", 1)], []), // fits with the one before
    queue.apply([p("a", 5), p("b", 5), p("c", 5), p("d", 5), p("e", 5)], []), // alone, whole
    queue.apply([], ["e"]),
  ]);
  expect(queue.stats()).toEqual({ requests: 5, transactions: 4 });
  expect(results.map((r) => r.upserted)).toEqual([2, 2, 1, 5, 0]);
  expect(results[4]!.deleted).toBe(1);
  // Each later transaction has a later sequence: commits happened in arrival order.
  const seqs = results.map((r) => r.lastSeq);
  expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  expect(allPoints(store).map((q) => [q.id, q.vector![0]])).toEqual([["a", 5], ["b", 5], ["c", 5], ["d", 5]]);
});

test("a request with the wrong dimension fails alone, before merging", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  const bad = { id: "bad", vector: new Float32Array(dimension + 1), payload: "{}" };
  const settled = await Promise.allSettled([
    queue.apply([p("a", 1)], []),
    queue.apply([bad], []),
    queue.apply([p("b", 1)], []),
  ]);
  expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: "ERR_DIMENSION_MISMATCH" });
  expect(queue.stats().transactions).toBe(1);
  expect(allPoints(store).map((q) => q.id)).toEqual(["a", "b"]);
});

test("when the merged transaction fails, each request is retried alone and only the culprit fails", async () => {
  const store = tempStore();
  store.apply([p("x", 1)], []);
  const queue = createShardWriteQueue(withFault(store, "poison", "before-commit"));
  const settled = await Promise.allSettled([
    queue.apply([p("a", 1)], []),
    queue.apply([p("poison", 1)], ["x"]),
    queue.apply([], ["x"]), // x is still live here: the poisoned request's delete never happened
  ]);
  expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((settled[2] as PromiseFulfilledResult<{ deleted: number }>).value.deleted).toBe(1);
  expect(queue.stats()).toEqual({ requests: 3, transactions: 4 }); // 1 merged + 3 alone
  expect(allPoints(store).map((q) => q.id)).toEqual(["a"]);
});

test("a merged transaction that committed and then failed is not retried and acknowledges nobody", async () => {
  const store = tempStore();
  store.apply([p("x", 1)], []);
  const queue = createShardWriteQueue(withFault(store, "poison", "after-commit"));
  const settled = await Promise.allSettled([queue.apply([], ["x"]), queue.apply([p("poison", 1)], [])]);
  expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  // A retry would have re-applied the delete and reported it as deleting nothing.
  expect(queue.stats().transactions).toBe(1);
  expect(allPoints(store).map((q) => q.id)).toEqual(["poison"]);
});

test("writes queued when the shard closes are rejected, not acknowledged", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  const pending = [queue.apply([p("a", 1)], []), queue.apply([p("b", 1)], [])];
  store.close();
  const settled = await Promise.allSettled(pending);
  for (const s of settled) {
    expect(s.status).toBe("rejected");
    expect((s as PromiseRejectedResult).reason).toMatchObject({ code: "ERR_SHARD_CLOSED" });
  }
});

test("bad budgets fail at construction", () => {
  const store = tempStore();
  expect(() => createShardWriteQueue(store, { maxPoints: 0 })).toThrow(/maxPoints must be an integer >= 1/);
  expect(() => createShardWriteQueue(store, { maxBytes: 1.5 })).toThrow(/maxBytes must be an integer >= 1/);
});

test("a computed write runs at its turn: after the writes queued before it, before those after", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  await queue.apply([p("x", 1)], []);
  // Same turn: an upsert, then a read-modify-write of the same point, then another upsert.
  const seen: number[] = [];
  const first = queue.apply([p("x", 2)], []);
  const computed = queue.applyComputed(() => {
    const [current] = store.get(["x"], { payload: true, vector: true });
    seen.push(current!.vector![0]!);
    return { upserts: [{ ...current!, payload: JSON.stringify({ v: current!.vector![0], patched: true }) } as PointInput], deletes: [] };
  });
  const after = queue.apply([p("y", 3)], []);
  const [a, b, c] = await Promise.all([first, computed, after]);
  expect(seen).toEqual([2]);
  expect(a.lastSeq).toBeLessThan(b.lastSeq);
  expect(b.lastSeq).toBeLessThan(c.lastSeq);
  expect(store.get(["x"], { payload: true, vector: true })[0]).toMatchObject({ payload: '{"v":2,"patched":true}' });
  expect(store.count()).toBe(2);
});

test("an admission check runs at the write's turn: a refused write fails alone; exclusive work runs in arrival order", async () => {
  const store = tempStore();
  const queue = createShardWriteQueue(store);
  let open = true;
  const admit = () => {
    if (!open) throw new Error("closed to writes");
  };
  const order: string[] = [];
  const first = queue.apply([p("a", 1)], [], admit);
  const between = queue.exclusive(() => {
    order.push(`exclusive saw ${store.count()} points`);
    open = false; // closes the gate for the writes queued after it
    return "done";
  });
  const refused = queue.apply([p("b", 1)], [], admit);
  const unchecked = queue.apply([p("c", 1)], []);
  const computed = queue.applyComputed(() => ({ upserts: [p("d", 1)], deletes: [] }), admit);
  expect((await first).upserted).toBe(1);
  expect(await between).toBe("done");
  expect(await refused.catch((e: Error) => e.message)).toBe("closed to writes");
  expect((await unchecked).upserted).toBe(1);
  expect(await computed.catch((e: Error) => e.message)).toBe("closed to writes");
  expect(order).toEqual(["exclusive saw 1 points"]);
  expect(allPoints(store).map((point) => point.id)).toEqual(["a", "c"]);
});
