export { createVectronClient } from "./create-vectron-client.js";
export type { VectronClient, UpsertOptions, WriteOptions, ReadOptions, SearchOptions, SearchBatchOptions, BatchQuery, ScrollOptions, DeleteSelector } from "./vectron-client.js";
export type { VectronClientOptions, RetryOptions, Credentials, TokenSource } from "./client-options.js";
export type { CallSettings } from "./rpc-caller.js";
export type { BatchProgress } from "./run-batches.js";
export type { ShardSnapshotChunk } from "./shard-snapshot-chunk.js";
export type { AuthClient, UserInfo, Session, ApiKeyInfo } from "./auth-client.js";
export type { Metric, PayloadIndexKind, PayloadIndexSpec, CreateCollectionInput, CollectionInfo, ShardPlacement, ReplicaInfo } from "./collection-info.js";
export type { Filter, Condition, MatchCondition, RangeCondition, MatchValue } from "./filter.js";
export type { JsonValue, Payload, Vector, PointInput, StoredPoint, SearchHit, Consistency } from "./points.js";
export type { FetchFunction } from "./network-failure-fetch.js";
export {
  VectronClientError,
  NotFoundError,
  AlreadyExistsError,
  InvalidArgumentError,
  UnauthenticatedError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnavailableError,
  DeadlineExceededError,
  CanceledError,
  type VectronErrorCode,
  type VectronClientErrorInit,
} from "./vectron-client-error.js";
