import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { ReadConsistency } from "@vectron/proto/v1";
import { pointQuotaExceeded } from "@vectron/quotas";
import type { ApiDeps } from "./api-deps";
import type { Caller } from "./call-admission";
import { countPoints } from "./count-points";
import type { PointReservation, PointUsage } from "./point-usage";
import { onReadReplica, READ_CALL_TIMEOUT_MS } from "./shard-call";
import { groupByShard } from "./shard-routing";

/**
 * Takes room in the caller's point quota for an upsert of `ids` (distinct) into
 * `collection`, or refuses it with `resource_exhausted`. Well below the quota this is
 * the estimate alone (no round trip). Near it, the owner's points are counted again and
 * the ids already stored are looked up, so that overwriting points at the quota still
 * works and only new points are refused.
 */
export async function reservePoints(
  deps: ApiDeps,
  usage: PointUsage,
  caller: Caller,
  collection: CollectionPlacement,
  ids: string[],
): Promise<PointReservation> {
  const limits = deps.plans[caller.plan];
  await usage.estimatedTotal(caller.userId);
  const quick = usage.tryReserve(caller.userId, ids.length, limits.maxPoints, false);
  if (quick) return quick;

  const [total, stored] = await Promise.all([usage.exactTotal(caller.userId), countStored(deps, collection, ids)]);
  const adding = ids.length - stored;
  const exact = usage.tryReserve(caller.userId, adding, limits.maxPoints, true);
  if (exact) return exact;
  throw pointQuotaExceeded(caller.plan, limits, total, adding);
}

/** Every point an owner stores, over their collections (any active replica answers). */
export async function countOwnerPoints(deps: ApiDeps, ownerId: string): Promise<number> {
  const { collections } = await deps.placement.listCollections({ ownerId });
  const counts = await Promise.all(collections.map((collection) => countPoints(deps, collection, undefined, ReadConsistency.EVENTUAL)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** How many of `ids` the collection holds (on the primaries: writes just acknowledged count). */
async function countStored(deps: ApiDeps, collection: CollectionPlacement, ids: string[]): Promise<number> {
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  const found = await Promise.all(
    [...groups].map(async ([shardId, shardIds]) => {
      const { points } = await onReadReplica(deps, collection, shardId, ReadConsistency.STRONG, (worker, shard, anyReplica) =>
        worker.getPoints({ shard, ids: shardIds, withPayload: false, withVector: false, anyReplica }, { timeoutMs: READ_CALL_TIMEOUT_MS }),
      );
      return points.length;
    }),
  );
  return found.reduce((sum, n) => sum + n, 0);
}
