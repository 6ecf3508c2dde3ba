export { openShardStore, defaultConnectivity, defaultExpansionAdd, defaultExpansionSearch } from "./open-shard-store";
export { ShardStoreError, type ShardStoreErrorCode } from "./shard-store-error";
export { isDiskFull } from "./disk-full";
export type {
  ApplyResult,
  Change,
  Hit,
  Metric,
  OpenInfo,
  PayloadIndexInfo,
  PayloadIndexKind,
  PointInput,
  ReadOptions,
  ShardStore,
  ShardStoreOptions,
  StoredPoint,
} from "./types";
