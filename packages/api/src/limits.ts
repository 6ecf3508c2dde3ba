/**
 * Every input the public API accepts has a limit; these are the defaults, documented in
 * the README ("Limits"). A request beyond one gets `invalid_argument` naming the field.
 */
export interface Limits {
  /** Largest vector dimension a collection may have. */
  maxDimension: number;
  /** Most points in one Upsert, and most ids in one Get or Delete. */
  maxBatchPoints: number;
  /** Largest payload of one point, as UTF-8 JSON, in bytes. */
  maxPayloadBytes: number;
  /** Longest point id, in UTF-8 bytes. */
  maxIdBytes: number;
  /** Largest topK of a Search. */
  maxTopK: number;
  /** Largest per-request HNSW search breadth (ef). */
  maxEf: number;
  /** Most queries in one SearchBatch. */
  maxBatchQueries: number;
  /** Most results one SearchBatch may ask for: the sum of its queries' topK. */
  maxBatchResults: number;
  /** Largest page of a Scroll. */
  maxScrollLimit: number;
  /** Most shards per collection. */
  maxShardCount: number;
  /** Most replicas per shard (each needs its own worker). */
  maxReplicationFactor: number;
}

export const defaultLimits: Limits = {
  maxDimension: 4096,
  maxBatchPoints: 10_000,
  maxPayloadBytes: 64 * 1024,
  maxIdBytes: 256,
  maxTopK: 1000,
  maxEf: 4096,
  maxBatchQueries: 1000,
  maxBatchResults: 100_000,
  maxScrollLimit: 1000,
  maxShardCount: 64,
  maxReplicationFactor: 16,
};
