/**
 * The shard a point id belongs to: xxHash64 (seed 0) of the id's UTF-8 bytes, as an
 * unsigned 64-bit integer, modulo the shard count. Stable across versions and
 * platforms, so clients may compute it too; pinned by shard-of.test.ts.
 */
export function shardOf(id: string, shardCount: number): number {
  if (shardCount === 1) return 0;
  return Number(Bun.hash.xxHash64(id) % BigInt(shardCount));
}
