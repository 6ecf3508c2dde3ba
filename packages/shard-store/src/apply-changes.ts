import type { Database } from "bun:sqlite";
import { indexDelta, type Counters, type IndexDelta } from "./apply-batch";
import type { PayloadIndexes } from "./payload-indexes";
import type { Statements } from "./shard-database";
import { ShardStoreError } from "./shard-store-error";
import type { Change } from "./types";
import { float32ToBytes as vectorToBlob } from "@vectron/vector-bytes";

/**
 * The follower side of replication: commits a page of the primary's change log in one
 * SQLite transaction, each change under the primary's own sequence number (so this
 * replica's log is the primary's, and `changesSince` here serves other followers the
 * same log if it is promoted), then sets last_seq to `throughSeq` (the primary may have
 * sequence numbers without a row: versions it overwrote since). A delete of an id this
 * replica never had still leaves its tombstone, as on the primary. Superseded versions
 * and payload indexes are kept exactly as commitBatch keeps them. `counters` is updated
 * only once committed. Throws ERR_INVALID_CHANGES, writing nothing, unless the changes
 * are in strictly increasing order, all after the current last_seq and at most
 * `throughSeq`, with vectors of the store's dimension.
 */
export function commitChanges(
  db: Database,
  statements: Statements,
  counters: Counters,
  dimension: number,
  changes: Change[],
  throughSeq: number,
  payloadIndexes: PayloadIndexes,
): IndexDelta {
  checkChanges(counters.lastSeq, dimension, changes, throughSeq);
  let live = counters.liveCount;
  const added = new Map<number, Float32Array>();
  const removed: number[] = [];
  db.transaction(() => {
    for (const change of changes) {
      const old = statements.versionOf.get(change.id);
      if (old?.live) {
        payloadIndexes.removeVersion(old.seq);
        // Ids are unique within a page of changesSince, so an old live version always
        // predates this page and is in the index; recorded so a saved index catches up.
        removed.push(old.seq);
        statements.insertSuperseded.run(change.seq, old.seq);
        if (change.deleted) live--;
      } else if (!change.deleted) {
        live++;
      }
      if (change.deleted) {
        statements.writeVersion.run(change.seq, change.id, null, null);
        continue;
      }
      statements.writeVersion.run(change.seq, change.id, vectorToBlob(change.vector), change.payload);
      payloadIndexes.addVersion(change.seq, change.payload);
      added.set(change.seq, change.vector);
    }
    if (throughSeq !== counters.lastSeq) {
      statements.updateCounters.run(throughSeq, live);
      payloadIndexes.markCurrent(throughSeq);
    }
  })();
  counters.lastSeq = throughSeq;
  counters.liveCount = live;
  return indexDelta(added, removed, dimension);
}

function checkChanges(lastSeq: number, dimension: number, changes: Change[], throughSeq: number): void {
  if (!Number.isSafeInteger(throughSeq) || throughSeq < lastSeq) {
    throw invalid(`throughSeq ${throughSeq} is before the store's last sequence ${lastSeq}`);
  }
  let previous = lastSeq;
  const ids = new Set<string>();
  for (const change of changes) {
    if (!Number.isSafeInteger(change.seq) || change.seq <= previous || change.seq > throughSeq) {
      throw invalid(`change ${JSON.stringify(change.id)} has sequence ${change.seq}, expected one in (${previous}, ${throughSeq}]`);
    }
    if (ids.has(change.id)) throw invalid(`id ${JSON.stringify(change.id)} appears twice in one page of changes`);
    ids.add(change.id);
    if (!change.deleted && change.vector.length !== dimension) {
      throw invalid(`change ${JSON.stringify(change.id)}: vector has ${change.vector.length} dimensions, the shard has ${dimension}`);
    }
    previous = change.seq;
  }
}

function invalid(message: string): ShardStoreError {
  return new ShardStoreError("ERR_INVALID_CHANGES", `applyChanges: ${message}`);
}
