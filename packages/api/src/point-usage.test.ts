import { expect, test } from "bun:test";
import { PointUsage } from "./point-usage";

/**
 * The shards' side, as PointUsage sees it: how many points the owner stores, and a
 * record of each count. `hold()` makes the next count wait until released.
 */
function storedPoints(initial: number) {
  let stored = initial;
  let failing = false;
  let held: PromiseWithResolvers<void> | undefined;
  const counts: number[] = [];
  return {
    count: async () => {
      if (held) await held.promise;
      if (failing) throw new Error("shard 3 unreachable");
      counts.push(stored);
      return stored;
    },
    write: (n: number) => void (stored += n),
    fail: (yes: boolean) => void (failing = yes),
    hold: () => (held = Promise.withResolvers<void>()),
    release: () => {
      held?.resolve();
      held = undefined;
    },
    counts,
  };
}

test("counts once, then adds this node's writes and deletes; counts again in the background after the window", async () => {
  let now = 0;
  const shards = storedPoints(10);
  const usage = new PointUsage(shards.count, { ttlMs: 5000, now: () => now, log: () => {} });
  expect(await usage.estimatedTotal("u")).toBe(10);
  const write = usage.tryReserve("u", 5, 100, false)!;
  expect(await usage.estimatedTotal("u")).toBe(15); // in flight
  shards.write(5);
  write.settle(5);
  usage.deleted("u", 3);
  shards.write(-3);
  expect(await usage.estimatedTotal("u")).toBe(12);
  expect(shards.counts).toEqual([10]);

  shards.write(100); // another node wrote
  now = 5000;
  expect(await usage.estimatedTotal("u")).toBe(12); // the stale figure, while counting again
  await Bun.sleep(0);
  expect(shards.counts).toEqual([10, 112]);
  expect(await usage.estimatedTotal("u")).toBe(112);
});

test("writes answered while a count runs are never lost; the figure may err high until the next count", async () => {
  let now = 0;
  const shards = storedPoints(0);
  const usage = new PointUsage(shards.count, { ttlMs: 5000, now: () => now, log: () => {} });
  await usage.estimatedTotal("u");
  const seen = usage.tryReserve("u", 4, 100, false)!; // committed before the count reads
  const unseen = usage.tryReserve("u", 3, 100, false)!; // committed after it read
  now = 5000;
  shards.write(4);
  shards.hold();
  const exact = usage.exactTotal("u");
  seen.settle(4);
  unseen.settle(3);
  shards.release();
  // The count saw 4; both writes answered during it stay on top: 11 >= the 7 stored.
  expect(await exact).toBe(11);
  shards.write(3);
  now = 10_000;
  await usage.estimatedTotal("u");
  await Bun.sleep(0);
  expect(await usage.estimatedTotal("u")).toBe(7);
});

test("check and reservation are one step: concurrent upserts cannot share the last room", async () => {
  const shards = storedPoints(90);
  const usage = new PointUsage(shards.count, { log: () => {} });
  await usage.estimatedTotal("u");
  const first = usage.tryReserve("u", 6, 100, false);
  expect(first).toBeDefined();
  expect(usage.tryReserve("u", 6, 100, false)).toBeUndefined();
  expect(usage.tryReserve("u", 4, 100, false)).toBeDefined();
  expect(usage.tryReserve("u", 1, 100, false)).toBeUndefined();
  // Overwrites only (no new point) pass even above the limit, e.g. after a downgrade.
  expect(usage.tryReserve("u", 0, 50, true)).toBeDefined();
  first!.settle(undefined); // failed: counted as written, since some shards may have committed
  first!.settle(6); // settling twice changes nothing
  expect(await usage.estimatedTotal("u")).toBe(100);
});

test("a count that fails leaves the last figure (or none) in place, is logged, and is tried again a second later", async () => {
  let now = 0;
  const logged: string[] = [];
  const shards = storedPoints(40);
  shards.fail(true);
  const usage = new PointUsage(shards.count, { now: () => now, log: (message) => logged.push(message) });
  expect(await usage.estimatedTotal("u")).toBe(0);
  expect(logged).toEqual(["counting the points of user u for the point quota failed"]);
  now = 500;
  await usage.estimatedTotal("u");
  expect(logged).toHaveLength(1);
  shards.fail(false);
  now = 1000;
  await usage.estimatedTotal("u");
  await Bun.sleep(0);
  expect(await usage.estimatedTotal("u")).toBe(40);
});

test("forgetting an owner (a deleted collection) counts again at the next use", async () => {
  const shards = storedPoints(30);
  const usage = new PointUsage(shards.count, { log: () => {} });
  expect(await usage.estimatedTotal("u")).toBe(30);
  shards.write(-30);
  usage.forget("u");
  expect(await usage.estimatedTotal("u")).toBe(0);
});
