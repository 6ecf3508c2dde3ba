import { expect, test } from "bun:test";
import fc from "fast-check";
import { shardOf } from "./shard-of";

test("is xxHash64 of the UTF-8 id modulo the shard count (published test vectors)", () => {
  // xxh64("") = 0xEF46DB3751D8E999, xxh64("a") = 0xD24EC4F1A98C6E5B (seed 0).
  expect(shardOf("", 1 << 30)).toBe(Number(0xef46db3751d8e999n % BigInt(1 << 30)));
  expect(shardOf("a", 1000)).toBe(Number(0xd24ec4f1a98c6e5bn % 1000n));
});

test("always lands in [0, shardCount) and is deterministic", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), fc.integer({ min: 1, max: 64 }), (id, count) => {
      const shard = shardOf(id, count);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(count);
      expect(shardOf(id, count)).toBe(shard);
    }),
  );
});

test("spreads ids evenly over shards", () => {
  const counts = new Array(8).fill(0);
  for (let i = 0; i < 80_000; i++) counts[shardOf(`point-${i}`, 8)]++;
  for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
});
