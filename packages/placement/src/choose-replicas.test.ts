import { expect, test } from "bun:test";
import fc from "fast-check";
import { chooseReplicas } from "./choose-replicas";

test("puts the replicas of a shard on distinct workers and balances the load", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 8 }),
      (workerCount, shardCount, rf) => {
        fc.pre(rf <= workerCount);
        const workers = Array.from({ length: workerCount }, (_, i) => `w${i}`);
        const assignment = chooseReplicas(workers, new Map(), shardCount, rf);
        expect(assignment).toHaveLength(shardCount);
        const perWorker = new Map<string, number>();
        for (const replicas of assignment) {
          expect(new Set(replicas).size).toBe(rf);
          for (const id of replicas) perWorker.set(id, (perWorker.get(id) ?? 0) + 1);
        }
        const counts = workers.map((w) => perWorker.get(w) ?? 0);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      },
    ),
  );
});

test("spreads the primaries: no worker leads more than one shard more than another chosen alike", () => {
  const assignment = chooseReplicas(["a", "b"], new Map(), 6, 2);
  const primaries = assignment.map((replicas) => replicas[0]);
  expect(primaries.filter((p) => p === "a")).toHaveLength(3);
  expect(primaries.filter((p) => p === "b")).toHaveLength(3);
});

test("prefers the workers holding fewer replicas", () => {
  const assignment = chooseReplicas(["a", "b", "c"], new Map([["a", 5], ["b", 0], ["c", 1]]), 1, 2);
  expect(assignment).toEqual([["b", "c"]]);
});

test("refuses more replicas than workers", () => {
  expect(() => chooseReplicas(["a"], new Map(), 1, 2)).toThrow("2 replicas need as many workers");
});
