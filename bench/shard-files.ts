import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Bytes on disk of every shard under a server's data directory, by kind of file. */
export interface ShardFileBytes {
  /** Saved HNSW indexes (index.usearch): what a cold start loads into memory. */
  index: number;
  /** SQLite databases with their WAL (rows, payloads, change log). */
  sqlite: number;
}

/** Sums the sizes of the files of `<dataDir>/shards/<collection>/<shard>/`. */
export function shardFileBytes(dataDir: string): ShardFileBytes {
  const total: ShardFileBytes = { index: 0, sqlite: 0 };
  const root = join(dataDir, "shards");
  for (const collection of readdirSync(root)) {
    for (const shard of readdirSync(join(root, collection))) {
      for (const file of readdirSync(join(root, collection, shard))) {
        const bytes = statSync(join(root, collection, shard, file)).size;
        if (file === "index.usearch") total.index += bytes;
        else if (file.startsWith("shard.sqlite")) total.sqlite += bytes;
      }
    }
  }
  return total;
}
