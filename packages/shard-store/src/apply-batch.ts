import type { Database } from "bun:sqlite";
import type { PayloadIndexes } from "./payload-indexes";
import type { Statements } from "./shard-database";
import { ShardStoreError } from "./shard-store-error";
import type { ApplyResult, PointInput } from "./types";
import { float32ToBytes as vectorToBlob } from "@vectron/vector-bytes";

/** The sequence counter and live count, as committed. */
export interface Counters {
  lastSeq: number;
  liveCount: number;
}

/** How a committed batch changes the index: keys to remove, then vectors to add. */
export interface IndexDelta {
  remove: BigUint64Array;
  addKeys: BigUint64Array;
  /** addKeys.length vectors back to back. */
  addVectors: Float32Array;
}

/**
 * Commits one batch in a single SQLite transaction: upserts first (the last occurrence
 * of a repeated id wins), then deletes. Each change takes the next sequence number,
 * which is also the usearch key of the new version. Deleting an id that is missing or
 * already deleted is not a change: no sequence, not counted. The payload indexes follow
 * every version in the same transaction, so they never disagree with the rows.
 * Returns the result and the index delta; `counters` is updated only once committed.
 */
export function commitBatch(
  db: Database,
  statements: Statements,
  counters: Counters,
  dimension: number,
  upserts: PointInput[],
  deletes: string[],
  payloadIndexes: PayloadIndexes,
): { result: ApplyResult; delta: IndexDelta } {
  const latest = new Map<string, PointInput>();
  for (const point of upserts) {
    if (point.vector.length !== dimension) {
      throw new ShardStoreError(
        "ERR_DIMENSION_MISMATCH",
        `point ${JSON.stringify(point.id)}: vector has ${point.vector.length} dimensions, the shard has ${dimension}`,
      );
    }
    latest.set(point.id, point);
  }
  let seq = counters.lastSeq;
  let live = counters.liveCount;
  let deleted = 0;
  // Versions born in this batch, by seq: what the index gains once committed.
  const added = new Map<number, Float32Array>();
  const removed: number[] = [];
  const supersede = (oldSeq: number, atSeq: number) => {
    // Payload entries are rows of this transaction: they go even for a version born in it.
    payloadIndexes.removeVersion(oldSeq);
    // A version born and replaced in this batch never reaches the HNSW index: nothing to undo.
    if (added.delete(oldSeq)) return;
    removed.push(oldSeq);
    statements.insertSuperseded.run(atSeq, oldSeq);
  };
  db.transaction(() => {
    for (const point of latest.values()) {
      const old = statements.versionOf.get(point.id);
      seq++;
      if (old?.live) supersede(old.seq, seq);
      else live++;
      statements.writeVersion.run(seq, point.id, vectorToBlob(point.vector), point.payload);
      payloadIndexes.addVersion(seq, point.payload);
      added.set(seq, point.vector);
    }
    for (const id of deletes) {
      const old = statements.versionOf.get(id);
      if (!old?.live) continue;
      seq++;
      supersede(old.seq, seq);
      statements.writeVersion.run(seq, id, null, null);
      live--;
      deleted++;
    }
    if (seq !== counters.lastSeq) {
      statements.updateCounters.run(seq, live);
      payloadIndexes.markCurrent(seq);
    }
  })();
  counters.lastSeq = seq;
  counters.liveCount = live;
  return {
    result: { lastSeq: seq, upserted: latest.size, deleted },
    delta: indexDelta(added, removed, dimension),
  };
}

/** The index side of a committed batch: the versions it added (by seq) and the keys it removed. */
export function indexDelta(added: Map<number, Float32Array>, removed: number[], dimension: number): IndexDelta {
  const addKeys = new BigUint64Array(added.size);
  const addVectors = new Float32Array(added.size * dimension);
  let row = 0;
  for (const [seq, vector] of added) {
    addKeys[row] = BigInt(seq);
    addVectors.set(vector, row * dimension);
    row++;
  }
  return { remove: BigUint64Array.from(removed, (seq) => BigInt(seq)), addKeys, addVectors };
}
