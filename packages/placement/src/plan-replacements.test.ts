import { expect, test } from "bun:test";
import fc from "fast-check";
import { shardKey } from "./cluster-snapshot";
import { planReplacements } from "./plan-replacements";
import { fixtureSnapshot } from "./snapshot-fixture";

const REPLACE_AFTER = 30_000;

test("a replica dead past the grace period is replaced on the least loaded worker that lacks the shard", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b", "c", "d", "e"],
    deadForMs: { c: REPLACE_AFTER },
    shards: [
      { rf: 3, replicas: [{ on: "a", primary: true }, { on: "b" }, { on: "c", state: "offline" }] },
      { rf: 1, replicas: [{ on: "d", primary: true }] },
    ],
  });
  const plan = planReplacements(snapshot, REPLACE_AFTER);
  // d and e both lack shard 0; d holds a replica already, e none.
  expect(plan.add.map((r) => [r.shard.shardId, r.workerId])).toEqual([[0, "e"]]);
});

test("a replica dead for less than the grace period is waited for, even a syncing one", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b", "c", "d"],
    deadForMs: { c: REPLACE_AFTER - 1 },
    shards: [{ rf: 3, replicas: [{ on: "a", primary: true }, { on: "b" }, { on: "c", state: "syncing" }] }],
  });
  expect(planReplacements(snapshot, REPLACE_AFTER).add).toEqual([]);
});

test("leaving replicas and replicas on draining workers are replaced at once; draining workers get none", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b", "c", "d", "e"],
    draining: ["b", "e"],
    shards: [
      { rf: 2, replicas: [{ on: "a", primary: true }, { on: "b", leaving: true }] },
      { rf: 2, replicas: [{ on: "a", primary: true }, { on: "c", leaving: true }] },
    ],
  });
  const plan = planReplacements(snapshot, REPLACE_AFTER);
  expect(plan.add.map((r) => [r.shard.shardId, r.workerId])).toEqual([
    [0, "c"],
    [1, "d"],
  ]);
});

test("a shard whose primary is down waits for its failover", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b", "c"],
    dead: ["a"],
    shards: [{ rf: 2, replicas: [{ on: "a", primary: true, state: "offline" }, { on: "b" }] }],
  });
  expect(planReplacements(snapshot, REPLACE_AFTER).add).toEqual([]);
});

test("reports a shard it cannot top up, and skips the shards it is told to", () => {
  const snapshot = fixtureSnapshot({
    workers: ["a", "b"],
    draining: ["b"],
    shards: [{ rf: 2, replicas: [{ on: "a", primary: true }, { on: "b", leaving: true }] }],
  });
  const plan = planReplacements(snapshot, REPLACE_AFTER);
  expect(plan.add).toEqual([]);
  expect(plan.stuck.map((s) => s.why)).toEqual(["needs 1 more replica(s) but every live undrained worker holds one already"]);
  expect(planReplacements(snapshot, REPLACE_AFTER, new Set([shardKey(snapshot.shards[0]!)])).stuck).toEqual([]);
});

test("property: new replicas go to live undrained workers lacking the shard, and top every shard up", () => {
  const arbitraryCluster = fc.record({
    workerCount: fc.integer({ min: 1, max: 6 }),
    dead: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    draining: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    shards: fc.array(
      fc.record({ rf: fc.integer({ min: 1, max: 4 }), holders: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 4 }), leaving: fc.nat(4) }),
      { maxLength: 6 },
    ),
  });
  fc.assert(
    fc.property(arbitraryCluster, ({ workerCount, dead, draining, shards }) => {
      const workers = Array.from({ length: workerCount }, (_, i) => `w${i}`);
      const snapshot = fixtureSnapshot({
        workers,
        dead: workers.filter((_, i) => dead[i] && i > 0), // w0 stays live to hold primaries
        draining: workers.filter((_, i) => draining[i]),
        shards: shards.map((s) => {
          const holders = [...new Set([0, ...s.holders.filter((h) => h < workerCount)])];
          return {
            rf: s.rf,
            replicas: holders.map((h, i) => ({ on: `w${h}`, primary: i === 0, leaving: i === s.leaving, state: "offline" as const })),
          };
        }),
      });
      const plan = planReplacements(snapshot, REPLACE_AFTER);
      for (const { shard, workerId } of plan.add) {
        const worker = snapshot.workers.get(workerId)!;
        expect(worker.live && !worker.draining).toBe(true);
        expect(shard.replicas.some((r) => r.workerId === workerId)).toBe(false);
      }
      for (const shard of snapshot.shards) {
        const added = plan.add.filter((r) => r.shard === shard);
        expect(new Set(added.map((r) => r.workerId)).size).toBe(added.length);
        const staying = shard.replicas.filter((r) => {
          const w = snapshot.workers.get(r.workerId)!;
          return !r.leaving && w.live && !w.draining;
        }).length;
        const stuck = plan.stuck.some((s) => s.shard === shard);
        const primaryLive = snapshot.workers.get(shard.replicas[0]!.workerId)!.live;
        if (primaryLive && !stuck) expect(staying + added.length).toBeGreaterThanOrEqual(shard.replicationFactor);
      }
    }),
  );
});
