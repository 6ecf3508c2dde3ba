import type { PointInput } from "@vectron/shard-store";

/** One ApplyWrites request as the store sees it: upserts first, then deletes. */
export interface WriteBatch {
  upserts: PointInput[];
  deletes: string[];
}

/** What one request did, as it would have been reported had it been applied alone. */
export interface BatchOutcome {
  /** Distinct ids in the request's upserts. */
  upserted: number;
  /** Distinct ids in the request's deletes that were live when it applied (after its own upserts). */
  deleted: number;
}

/** Several requests folded into the arguments of one `ShardStore.apply`, plus each request's outcome. */
export interface MergedWrites {
  upserts: PointInput[];
  deletes: string[];
  /** One per input request, in the same order. */
  outcomes: BatchOutcome[];
}

/**
 * Folds `batches` (in arrival order) into one upsert list and one delete list whose
 * single application leaves the shard exactly as applying the batches one after the
 * other would: each id ends with the last thing any batch did to it (the newest upsert
 * wins, an upsert after a delete re-creates the point, a delete after an upsert removes
 * it). Because `apply` runs all upserts before all deletes, an id's final state goes to
 * exactly one of the two lists, never both.
 *
 * Only the liveness of ids before the merge is unknown here, and only deletes depend on
 * it (upserted counts distinct ids whatever the state). `liveBefore` is called once, with
 * every id some batch deletes, and must return those live in the store at this moment;
 * the caller applies the result before anything else can write (same synchronous turn).
 */
export function mergeWrites(batches: readonly WriteBatch[], liveBefore: (ids: string[]) => Set<string>): MergedWrites {
  const deletedIds = new Set<string>();
  for (const batch of batches) for (const id of batch.deletes) deletedIds.add(id);
  const initiallyLive = deletedIds.size === 0 ? new Set<string>() : liveBefore([...deletedIds]);

  // Final state of every id the batches touch: the point to write, or null for deleted.
  const final = new Map<string, PointInput | null>();
  const isLive = (id: string) => {
    const state = final.get(id);
    return state === undefined ? initiallyLive.has(id) : state !== null;
  };
  const outcomes = batches.map((batch): BatchOutcome => {
    const upsertedIds = new Set<string>();
    for (const point of batch.upserts) {
      upsertedIds.add(point.id);
      final.set(point.id, point);
    }
    let deleted = 0;
    // A repeated delete finds the id already gone and is not counted twice, as in the store.
    for (const id of batch.deletes) {
      if (isLive(id)) deleted++;
      final.set(id, null);
    }
    return { upserted: upsertedIds.size, deleted };
  });

  const upserts: PointInput[] = [];
  const deletes: string[] = [];
  for (const [id, point] of final) {
    if (point) upserts.push(point);
    else deletes.push(id);
  }
  return { upserts, deletes, outcomes };
}
