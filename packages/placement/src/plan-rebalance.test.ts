import { expect, test } from "bun:test";
import fc from "fast-check";
import { planRebalance } from "./plan-rebalance";
import { fixtureSnapshot, type FixtureReplica } from "./snapshot-fixture";

/** rf-2 shards spread over a and b, plus an empty worker c. */
function crowded(shardCount: number, extra: Partial<Parameters<typeof fixtureSnapshot>[0]> = {}) {
  return fixtureSnapshot({
    workers: ["a", "b", "c"],
    shards: Array.from({ length: shardCount }, (_, i) => ({
      rf: 2,
      replicas: [{ on: i % 2 ? "b" : "a", primary: true }, { on: i % 2 ? "a" : "b" }] as FixtureReplica[],
    })),
    ...extra,
  });
}

test("moves a follower from the most loaded worker to one holding 2 fewer, at most 2 at a time", () => {
  const moves = planRebalance(crowded(4));
  expect(moves.map((m) => [m.shard.shardId, m.fromWorkerId, m.toWorkerId])).toEqual([
    [0, "b", "c"], // a and b both hold 4: ties go to the last id, b
    [1, "a", "c"],
  ]);
  for (const move of moves) {
    expect(move.shard.replicas.find((r) => r.workerId === move.fromWorkerId)!.role).toBe("follower");
  }
});

test("moves nothing when loads differ by less than 2", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b", "c"],
    shards: [
      { rf: 2, replicas: [{ on: "a", primary: true }, { on: "b" }] },
      { rf: 1, replicas: [{ on: "c", primary: true }] },
    ],
  });
  expect(planRebalance(snapshot)).toEqual([]);
});

test("counts moves already under way and never moves a primary or a busy shard", () => {
  const busy = crowded(4);
  busy.shards[0]!.replicas[1]!.leaving = true; // a move already marked
  expect(planRebalance(busy)).toHaveLength(1);
  const primariesOnly = fixtureSnapshot({
    workers: ["a", "b"],
    shards: [{ rf: 1, replicas: [{ on: "a", primary: true }] }, { rf: 1, replicas: [{ on: "a", primary: true }] }],
  });
  expect(planRebalance(primariesOnly)).toEqual([]);
  const syncing = crowded(4);
  for (const shard of syncing.shards) shard.replicas[1]!.state = "syncing";
  expect(planRebalance(syncing)).toEqual([]);
});

test("dead and draining workers neither give nor receive through rebalancing", () => {
  expect(planRebalance(crowded(4, { dead: ["c"] }))).toEqual([]);
  expect(planRebalance(crowded(4, { draining: ["c"] }))).toEqual([]);
});

test("property: moves keep their invariants, and rebalancing stops only when no follower can move", () => {
  const arbitraryShards = fc.array(
    fc.record({ rf: fc.integer({ min: 1, max: 3 }), holders: fc.uniqueArray(fc.nat(4), { minLength: 3, maxLength: 3 }) }),
    { minLength: 1, maxLength: 12 },
  );
  fc.assert(
    fc.property(fc.integer({ min: 3, max: 5 }), arbitraryShards, (workerCount, shards) => {
      const workers = Array.from({ length: workerCount }, (_, i) => `w${i}`);
      const snapshot = fixtureSnapshot({
        workers,
        shards: shards.map(({ rf, holders }) => ({
          rf,
          replicas: holders.slice(0, rf).map((h, i) => ({ on: `w${h % workerCount}`, primary: i === 0 })),
        })),
      });
      // Unique holders per shard (h % workerCount may collide): drop duplicates, keep rf honest.
      for (const shard of snapshot.shards) {
        shard.replicas = shard.replicas.filter((r, i, all) => all.findIndex((o) => o.workerId === r.workerId) === i);
        shard.replicationFactor = shard.replicas.length;
      }
      let rounds = 0;
      for (let moves = planRebalance(snapshot); moves.length > 0; moves = planRebalance(snapshot)) {
        expect(++rounds).toBeLessThan(200); // it terminates
        expect(moves.length).toBeLessThanOrEqual(2);
        expect(new Set(moves.map((m) => m.shard)).size).toBe(moves.length);
        for (const move of moves) {
          const replica = move.shard.replicas.find((r) => r.workerId === move.fromWorkerId)!;
          expect(replica.role).toBe("follower");
          expect(move.shard.replicas.some((r) => r.workerId === move.toWorkerId)).toBe(false);
          replica.workerId = move.toWorkerId; // as it ends once the replacement is in sync
        }
      }
      // At the fixed point no worker can give a follower to one holding 2 fewer replicas.
      const load = new Map(workers.map((w) => [w, 0]));
      for (const shard of snapshot.shards) for (const r of shard.replicas) load.set(r.workerId, load.get(r.workerId)! + 1);
      for (const shard of snapshot.shards) {
        for (const giver of shard.replicas.filter((r) => r.role === "follower")) {
          for (const other of workers) {
            if (load.get(giver.workerId)! - load.get(other)! >= 2) expect(shard.replicas.some((r) => r.workerId === other)).toBe(true);
          }
        }
      }
    }),
  );
});
