import { ShardStoreError, type ApplyResult, type PointInput, type ShardStore } from "@vectron/shard-store";
import { mergeWrites, type WriteBatch } from "./merge-writes";

/** Options of createShardWriteQueue. */
export interface ShardWriteQueueOptions {
  /**
   * Most points (upserts + deletes) in one merged transaction. Default 10,000. Bounds how
   * long one flush holds the event loop; a single larger request still runs whole.
   */
  maxPoints?: number;
  /**
   * Most bytes (vector bytes + id and payload lengths) in one merged transaction.
   * Default 32 MiB. Same purpose as maxPoints, for high-dimensional or payload-heavy writes.
   */
  maxBytes?: number;
}

/** What the queue has done so far; observable so tests can see merging happen. */
export interface ShardWriteQueueStats {
  /** Requests taken from the queue and settled (one refused by validation never enters). */
  requests: number;
  /** `store.apply` calls made, each one transaction and one fsync (fallback retries included). */
  transactions: number;
}

/**
 * Group commit for one shard replica: concurrent writes share one `store.apply` (one
 * SQLite transaction, one fsync, one index add) instead of paying one each.
 */
export interface ShardWriteQueue {
  /**
   * Queues a write and settles once it is committed durably, with the result it would
   * have had applied alone after every write queued before it (`lastSeq` is that of the
   * shared commit). Rejects, never acknowledging, if its transaction failed.
   */
  apply(upserts: PointInput[], deletes: string[], admit?: Admission): Promise<ApplyResult>;
  /**
   * Queues a write whose content depends on the data (a payload patch, a delete by
   * filter): `compute` runs at its turn, after every write queued before it has been
   * committed and before any queued after it, then its result is committed alone. So a
   * read-modify-write never loses a write that was acknowledged before it was asked.
   */
  applyComputed(compute: () => WriteBatch, admit?: Admission): Promise<ApplyResult>;
  /**
   * Runs `run` at its turn, alone, after every write queued before it has been committed
   * and before any queued after it (a replicated page of changes, emptying the store), and
   * settles with what it returns or throws.
   */
  exclusive<T>(run: () => T): Promise<T>;
  stats(): ShardWriteQueueStats;
}

/**
 * Checked at a write's turn, just before its commit (synchronously, so nothing changes
 * between the check and the commit): throws to refuse the write, which then fails alone
 * and writes nothing. How a replica that stopped being primary refuses writes that were
 * already queued.
 */
export type Admission = () => void;

const defaultMaxPoints = 10_000;
const defaultMaxBytes = 32 * 1024 * 1024;

interface Pending extends WriteBatch {
  points: number;
  bytes: number;
  /** A write worked out from the store's state at its turn (see applyComputed). */
  compute?: () => WriteBatch;
  /** Not a write: an operation run alone at its turn (see exclusive). */
  run?: () => unknown;
  admit?: Admission;
  resolve: (result: ApplyResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Builds the write queue of `store`. Every write to the store should go through its one
 * queue: arrival order is only kept among queued writes. (The merge's read of which ids
 * are live and its commit happen in one synchronous step, so nothing can write between.)
 *
 * Trigger: the first write of a batch schedules a flush with `setImmediate`, so the
 * batch is whatever arrived by the end of the current event-loop turn (I/O callbacks of
 * the same poll included). A lone write waits one turn, never a fixed delay. While a
 * flush runs (it is synchronous, fsync included) new requests pile up and form the next
 * batch, so the batch size grows with load by itself.
 */
export function createShardWriteQueue(store: ShardStore, options: ShardWriteQueueOptions = {}): ShardWriteQueue {
  const maxPoints = positiveInteger("maxPoints", options.maxPoints ?? defaultMaxPoints);
  const maxBytes = positiveInteger("maxBytes", options.maxBytes ?? defaultMaxBytes);
  const pending: Pending[] = [];
  let scheduled = false;
  const stats: ShardWriteQueueStats = { requests: 0, transactions: 0 };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  function flush(): void {
    scheduled = false;
    const group = takeGroup(pending, maxPoints, maxBytes);
    // What did not fit goes first in the next turn; later arrivals queue behind it.
    if (pending.length > 0) schedule();
    stats.requests += group.length;
    const admitted = group.filter(isAdmitted);
    if (admitted.length === 1) applyAlone(admitted[0]!);
    else if (admitted.length > 1) applyMerged(admitted);
  }

  /** False (and the request rejected) when its admission check refuses it. */
  function isAdmitted(request: Pending): boolean {
    try {
      request.admit?.();
      return true;
    } catch (error) {
      request.reject(error);
      return false;
    }
  }

  function applyAlone(request: Pending): void {
    try {
      if (request.run) {
        (request.resolve as (value: unknown) => void)(request.run());
        return;
      }
      const write = request.compute ? request.compute() : request;
      stats.transactions++;
      request.resolve(store.apply(write.upserts, write.deletes));
    } catch (error) {
      request.reject(error);
    }
  }

  function applyMerged(group: Pending[]): void {
    const seqBefore = lastSeqOrUndefined(store);
    try {
      const merged = mergeWrites(group, (ids) => liveIds(store, ids));
      stats.transactions++;
      const { lastSeq } = store.apply(merged.upserts, merged.deletes);
      group.forEach((request, i) => request.resolve({ lastSeq, ...merged.outcomes[i]! }));
      return;
    } catch (error) {
      // Committed and then failed (the index could not be caught up): the data is durable,
      // so retrying would double-apply deletes. Fail them all, as a lone apply would have.
      if (seqBefore !== undefined && lastSeqOrUndefined(store) !== seqBefore) {
        for (const request of group) request.reject(error);
        return;
      }
    }
    // Nothing was written: apply each alone, in order, so only the culprit fails.
    for (const request of group) applyAlone(request);
  }

  return {
    apply(upserts, deletes, admit) {
      // Validated before merging: one bad request must not sink the others' transaction.
      const mismatch = upserts.find((point) => point.vector.length !== store.dimension);
      if (mismatch) {
        return Promise.reject(
          new ShardStoreError(
            "ERR_DIMENSION_MISMATCH",
            `point ${JSON.stringify(mismatch.id)}: vector has ${mismatch.vector.length} dimensions, the shard has ${store.dimension}`,
          ),
        );
      }
      const { promise, resolve, reject } = Promise.withResolvers<ApplyResult>();
      pending.push({ upserts, deletes, ...sizeOf(upserts, deletes), admit, resolve, reject });
      schedule();
      return promise;
    },
    applyComputed(compute, admit) {
      const { promise, resolve, reject } = Promise.withResolvers<ApplyResult>();
      pending.push({ upserts: [], deletes: [], points: 1, bytes: 0, compute, admit, resolve, reject });
      schedule();
      return promise;
    },
    exclusive<T>(run: () => T) {
      const { promise, resolve, reject } = Promise.withResolvers<T>();
      pending.push({ upserts: [], deletes: [], points: 1, bytes: 0, run, resolve: resolve as (value: unknown) => void, reject });
      schedule();
      return promise;
    },
    stats: () => ({ ...stats }),
  };
}

/**
 * Removes from the head of `pending` the longest run of requests within both budgets,
 * at least one (a request over budget is never split: it runs alone), stopping at a
 * computed write. Strict arrival order: a small request never overtakes a large one
 * that did not fit.
 */
function takeGroup(pending: Pending[], maxPoints: number, maxBytes: number): Pending[] {
  // A computed write reads the store, so it runs alone, after all before it committed;
  // so does an exclusive operation.
  if (pending[0]?.compute || pending[0]?.run) return pending.splice(0, 1);
  let points = 0;
  let bytes = 0;
  let count = 0;
  for (const request of pending) {
    if (request.compute || request.run) break;
    if (count > 0 && (points + request.points > maxPoints || bytes + request.bytes > maxBytes)) break;
    points += request.points;
    bytes += request.bytes;
    count++;
  }
  return pending.splice(0, count);
}

/** Approximate size; string lengths in UTF-16 units are close enough for a budget. */
function sizeOf(upserts: PointInput[], deletes: string[]): { points: number; bytes: number } {
  let bytes = 0;
  for (const point of upserts) bytes += point.vector.byteLength + point.id.length + point.payload.length;
  for (const id of deletes) bytes += id.length;
  return { points: upserts.length + deletes.length, bytes };
}

function liveIds(store: ShardStore, ids: string[]): Set<string> {
  return new Set(store.get(ids, { payload: false, vector: false }).map((point) => point.id));
}

/** Undefined once the store is closed, so a failure check never throws itself. */
function lastSeqOrUndefined(store: ShardStore): number | undefined {
  try {
    return store.lastSeq();
  } catch {
    return undefined;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`createShardWriteQueue: ${name} must be an integer >= 1, got ${value}`);
  }
  return value;
}
