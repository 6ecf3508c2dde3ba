import { expect, test } from "bun:test";
import fc from "fast-check";
import { chooseReplicasToRemove, type RemovableReplica } from "./replica-removal";

const replica = (workerId: string, extra: Partial<RemovableReplica> = {}): RemovableReplica => ({
  workerId,
  role: "follower",
  state: "active",
  leaving: false,
  workerLive: true,
  ...extra,
});

test("removes the leaving replica once its replacement is in sync", () => {
  const shard = [replica("p", { role: "primary" }), replica("a", { leaving: true }), replica("b"), replica("new")];
  expect(chooseReplicasToRemove(shard, 3)).toEqual(["a"]);
});

test("keeps a leaving replica while the replacement still syncs", () => {
  const shard = [replica("p", { role: "primary" }), replica("a", { leaving: true }), replica("b"), replica("new", { state: "syncing" })];
  expect(chooseReplicasToRemove(shard, 3)).toEqual([]);
});

test("leaving first, then dead workers, then offline replicas", () => {
  const shard = [
    replica("p", { role: "primary" }),
    replica("offline", { state: "offline" }),
    replica("dead", { workerLive: false, state: "offline" }),
    replica("leaving", { leaving: true }),
    replica("x"),
    replica("y"),
  ];
  expect(chooseReplicasToRemove(shard, 3)).toEqual(["leaving", "dead", "offline"]);
  // With RF 4 the leaving replica is one of the four in sync: it stays until replaced.
  expect(chooseReplicasToRemove(shard, 4)).toEqual(["dead", "offline"]);
});

test("never removes the primary, even when it is leaving", () => {
  const shard = [replica("p", { role: "primary", leaving: true }), replica("a"), replica("b")];
  expect(chooseReplicasToRemove(shard, 2)).toEqual([]);
});

test("never removes a staying active replica to get down to the replication factor", () => {
  const shard = [replica("p", { role: "primary" }), replica("a"), replica("b")];
  expect(chooseReplicasToRemove(shard, 2)).toEqual([]);
});

test("property: what remains has at least RF replicas, RF in sync if it had, and the primary", () => {
  const arbitraryReplica = fc.record({
    role: fc.constant("follower" as const),
    state: fc.constantFrom("active" as const, "syncing" as const, "offline" as const),
    leaving: fc.boolean(),
    workerLive: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(arbitraryReplica, { maxLength: 7 }), fc.integer({ min: 1, max: 5 }), (followers, rf) => {
      const shard = [replica("p", { role: "primary" }), ...followers.map((f, i) => ({ ...f, workerId: `w${i}` }))];
      const removed = new Set(chooseReplicasToRemove(shard, rf));
      const kept = shard.filter((r) => !removed.has(r.workerId));
      const inSync = (rs: RemovableReplica[]) => rs.filter((r) => r.state === "active" && r.workerLive).length;
      expect(removed.has("p")).toBe(false);
      if (removed.size > 0) {
        expect(kept.length).toBeGreaterThanOrEqual(rf);
        expect(inSync(kept)).toBeGreaterThanOrEqual(rf);
      }
      for (const r of shard) {
        if (removed.has(r.workerId)) expect(r.leaving || !r.workerLive || r.state === "offline").toBe(true);
      }
    }),
  );
});
