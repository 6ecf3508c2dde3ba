import { VectronError } from "@vectron/rpc-errors";

/** Shard copies a worker streams at once unless told otherwise (VECTRON_MAX_SNAPSHOT_STREAMS). */
export const DEFAULT_MAX_SNAPSHOT_STREAMS = 2;

/**
 * Bounds the shard copies a worker holds for SnapshotShard calls: each is a whole copy
 * of a shard's database on the data disk until its stream ends, so without a bound a
 * burst of stalled calls fills the disk. At most one copy per shard and `max` in all;
 * a call beyond either is refused with resource_exhausted before any copy is made.
 */
export class SnapshotStreamLimit {
  readonly #streaming = new Set<string>();

  constructor(readonly max = DEFAULT_MAX_SNAPSHOT_STREAMS) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`SnapshotStreamLimit: max must be a whole number of at least 1, not ${max}`);
  }

  /** Copies being made or streamed now. */
  get inFlight(): number {
    return this.#streaming.size;
  }

  /**
   * Takes a slot for a copy of shard `key` (`<collectionId>/<shardId>`); call the
   * returned function once its stream has ended, failed or been abandoned (more calls do
   * nothing). Throws resource_exhausted if the shard is being streamed or every slot is taken.
   */
  acquire(key: string): () => void {
    if (this.#streaming.has(key)) {
      const shard = key.slice(key.lastIndexOf("/") + 1);
      throw new VectronError("resource_exhausted", `a snapshot of shard ${shard} of this collection is already being streamed; retry when it ends`);
    }
    if (this.#streaming.size >= this.max) {
      throw new VectronError("resource_exhausted", `this worker is already streaming ${this.max} shard snapshot(s), its most at once; retry when one ends`);
    }
    this.#streaming.add(key);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#streaming.delete(key);
    };
  }
}
