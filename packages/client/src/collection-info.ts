/** How similarity is measured: cosine similarity and dot product (higher is better), Euclidean distance (lower is better). */
export type Metric = "cosine" | "euclidean" | "dot";

/** The value type a payload index keeps. */
export type PayloadIndexKind = "keyword" | "integer" | "float" | "bool";

/** An index on one payload key (dotted path, as in filters). */
export interface PayloadIndexSpec {
  key: string;
  kind: PayloadIndexKind;
}

/** What createCollection needs. */
export interface CreateCollectionInput {
  /** 1–64 of `A-Z a-z 0-9 _ . -`, starting with a letter or digit; unique per user. */
  name: string;
  /** Length of every vector (1–4,096 by default). */
  dimension: number;
  metric: Metric;
  /** Number of shards (default 1). */
  shards?: number;
  /** Replicas per shard (default 1; at most the live workers). */
  replicationFactor?: number;
  /** Payload indexes to keep from the start. */
  payloadIndexes?: PayloadIndexSpec[];
}

/** One replica of a shard. */
export interface ReplicaInfo {
  workerId: string;
  address: string;
  role: "primary" | "follower" | "unspecified";
  /** `syncing`: copying or catching up; `offline`: its worker's lease expired. */
  state: "active" | "syncing" | "offline" | "unspecified";
}

/** Where one shard lives. */
export interface ShardPlacement {
  id: number;
  /** Bumped each time the shard's primary changes. */
  epoch: number;
  replicas: ReplicaInfo[];
}

/** A collection as the server describes it. */
export interface CollectionInfo {
  name: string;
  dimension: number;
  metric: Metric;
  /** Live points (deleted ones excluded). */
  pointCount: number;
  shards: number;
  replicationFactor: number;
  payloadIndexes: PayloadIndexSpec[];
  createdAt: Date | undefined;
  /** The shards with their replicas (filled by getCollection and listCollections). */
  placement: ShardPlacement[];
}
