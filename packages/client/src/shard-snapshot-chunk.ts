/** One piece of a shard snapshot (snapshotShard); the pieces in order make the shard's SQLite file. */
export interface ShardSnapshotChunk {
  data: Uint8Array;
  /** Size of the whole file. */
  totalBytes: number;
  /** The shard's last sequence and live point count in the copy. */
  lastSeq: number;
  pointCount: number;
}
