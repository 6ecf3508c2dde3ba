import type { ShardStore } from "@vectron/shard-store";
import type { ReplicationPage } from "./shard-ops";

/**
 * The next page of `store`'s change log after `afterSeq` (null: an empty page at its end),
 * read in one synchronous step so no commit falls between reading the changes and the
 * last sequence: at most `maxChanges` changes and about `maxBytes` (at least one change).
 *
 * A page that reaches the end has throughSeq = the store's last sequence. A full one is
 * cut at the highest commit end the store knows inside it (lastCommitEndIn), so it never
 * ends in the middle of one transaction: a follower that applied it holds no part of a
 * batch without the rest. When none is known there (a single commit larger than a page,
 * or commits from before the store was reopened) it ends at its last change, splitting
 * that commit as it must.
 */
export function readReplicationPage(store: ShardStore, afterSeq: number | null, maxChanges: number, maxBytes: number): ReplicationPage {
  if (afterSeq === null) {
    const lastSeq = store.lastSeq();
    return { afterSeq: lastSeq, throughSeq: lastSeq, changes: [], full: false };
  }
  const read = store.changesSince(afterSeq, maxChanges);
  let bytes = 0;
  let kept = 0;
  for (const change of read) {
    // Sizes in UTF-16 units for strings: close enough for a budget.
    bytes += change.id.length + (change.deleted ? 0 : change.vector.byteLength + change.payload.length);
    if (kept > 0 && bytes > maxBytes) break;
    kept++;
  }
  const full = kept < read.length || read.length >= maxChanges;
  if (!full) return { afterSeq, throughSeq: store.lastSeq(), changes: read, full };
  // From the first change on: an end before it would only make an empty page.
  const lastKept = read[kept - 1]!.seq;
  const throughSeq = store.lastCommitEndIn(read[0]!.seq, lastKept) ?? lastKept;
  // Every change in (afterSeq, throughSeq] is among those read (they come in seq order);
  // those after throughSeq go in the next page.
  while (kept > 0 && read[kept - 1]!.seq > throughSeq) kept--;
  return { afterSeq, throughSeq, changes: kept < read.length ? read.slice(0, kept) : read, full };
}
