/** Stable codes callers can switch on; the RPC edge maps them to Connect codes. */
export type ShardStoreErrorCode =
  /** A vector's length differs from the store's dimension. */
  | "ERR_DIMENSION_MISMATCH"
  /** The directory holds a store created with another dimension or metric. */
  | "ERR_CONFIG_MISMATCH"
  /** The store was closed or dropped. */
  | "ERR_SHARD_CLOSED"
  /** Options that can never work (dimension 0, unknown metric...). */
  | "ERR_INVALID_OPTIONS"
  /** A payload index with a bad key or kind. */
  | "ERR_INVALID_PAYLOAD_INDEX"
  /** A shard already has the most payload indexes it may have. */
  | "ERR_PAYLOAD_INDEX_LIMIT"
  /** The platform stores floats big-endian; blobs are little-endian float32. */
  | "ERR_UNSUPPORTED_PLATFORM"
  /** startIndexRebuild while another rebuild of the shard runs (or a rebuild voided by clear). */
  | "ERR_REBUILD_RUNNING"
  /** applyChanges with changes out of order, not after the last sequence, or of the wrong dimension. */
  | "ERR_INVALID_CHANGES"
  /** The device holding the shard has no space left: the commit or index save failed whole, and the store stays usable. */
  | "ERR_DISK_FULL";

/** The one error type this package throws on purpose. */
export class ShardStoreError extends Error {
  override readonly name = "ShardStoreError";
  constructor(
    readonly code: ShardStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
