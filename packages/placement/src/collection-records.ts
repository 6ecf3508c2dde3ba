import { and, asc, count, eq } from "drizzle-orm";
import { collections, payloadIndexes, shardReplicas, shards, users, type PayloadIndexKind as PayloadIndexKindColumn } from "@vectron/db";
import type { PayloadIndex } from "@vectron/proto/v1";
import type { CollectionPlacement, CreateCollectionRequest } from "@vectron/proto/placement/v1";
import { VectronError, invalidArgument } from "@vectron/rpc-errors";
import { chooseReplicas } from "./choose-replicas";
import { loadPlacements } from "./load-placements";
import { distanceName, payloadIndexKindName } from "@vectron/enum-names";
import type { PlacementDeps } from "./placement-deps";
import type { PlacementTx } from "./remove-surplus-replicas";
import { placeableWorkerIds } from "./worker-leases";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkOwner(ownerId: string): string {
  if (!UUID.test(ownerId)) throw invalidArgument("ownerId", "must be a user id (UUID)");
  return ownerId;
}

/**
 * Records a collection and places its shards on live, undrained workers, in one transaction: the
 * collection exists with its full shard map or not at all.
 */
export async function createCollectionRecord(deps: PlacementDeps, request: CreateCollectionRequest): Promise<CollectionPlacement> {
  const ownerId = checkOwner(request.ownerId);
  if (!request.name) throw invalidArgument("name", "is required");
  if (request.dimension < 1) throw invalidArgument("dimension", "must be at least 1");
  if (request.shardCount < 1) throw invalidArgument("shardCount", "must be at least 1");
  if (request.replicationFactor < 1) throw invalidArgument("replicationFactor", "must be at least 1");
  const indexes = request.payloadIndexes.map((index, i) => checkPayloadIndex(`payloadIndexes[${i}]`, index));
  if (new Set(indexes.map((index) => index.key)).size !== indexes.length) {
    throw invalidArgument("payloadIndexes", "has two indexes on the same key");
  }
  // Draining workers are live but take nothing new.
  const live = await placeableWorkerIds(deps);
  if (live.length < request.replicationFactor) {
    throw invalidArgument(
      "replicationFactor",
      `is ${request.replicationFactor} but only ${live.length} worker(s) are live and not draining; each replica of a shard needs its own worker`,
    );
  }
  const row = await deps.db.transaction(async (tx) => {
    if (request.maxCollections > 0) await lockOwner(tx, ownerId);
    const loadRows = await tx
      .select({ workerId: shardReplicas.workerId, replicas: count() })
      .from(shardReplicas)
      .groupBy(shardReplicas.workerId);
    const load = new Map(loadRows.map((r) => [r.workerId, r.replicas]));
    const assignment = chooseReplicas(live, load, request.shardCount, request.replicationFactor);
    const [inserted] = await tx
      .insert(collections)
      .values({
        ownerId,
        name: request.name,
        dimension: request.dimension,
        distance: distanceName(request.distance),
        shardCount: request.shardCount,
        replicationFactor: request.replicationFactor,
      })
      .onConflictDoNothing({ target: [collections.ownerId, collections.name] })
      .returning();
    if (!inserted) throw new VectronError("already_exists", `name: a collection named ${request.name} already exists`);
    if (request.maxCollections > 0) await checkCollectionQuota(tx, ownerId, request.maxCollections);
    await tx.insert(shards).values(assignment.map((_, shardId) => ({ collectionId: inserted.id, shardId })));
    await tx.insert(shardReplicas).values(
      assignment.flatMap((workerIds, shardId) =>
        workerIds.map((workerId, i) => ({
          collectionId: inserted.id,
          shardId,
          workerId,
          role: i === 0 ? ("primary" as const) : ("follower" as const),
          state: "active" as const,
        })),
      ),
    );
    if (indexes.length) {
      await tx.insert(payloadIndexes).values(indexes.map((index) => ({ collectionId: inserted.id, ...index })));
    }
    return inserted;
  });
  const [placement] = await loadPlacements(deps.db, [row], deps.now());
  return placement!;
}

/**
 * Makes the creates of one owner wait for each other, so that the count in
 * checkCollectionQuota cannot miss one that has not committed yet. FOR NO KEY UPDATE:
 * the foreign-key checks of other inserts (FOR KEY SHARE) still pass.
 */
async function lockOwner(tx: PlacementTx, ownerId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for("no key update");
}

/** Refuses (rolling the transaction back) a create that gave the owner more than `max` collections. */
async function checkCollectionQuota(tx: PlacementTx, ownerId: string, max: number): Promise<void> {
  const [owned] = await tx.select({ n: count() }).from(collections).where(eq(collections.ownerId, ownerId));
  if ((owned?.n ?? 0) > max) {
    throw new VectronError("resource_exhausted", `collections: the owner would have ${owned?.n} collections, the limit is ${max}`);
  }
}

/** An owner's collection by name; `not_found` when there is none. */
export async function getCollectionRecord(deps: PlacementDeps, ownerId: string, name: string): Promise<CollectionPlacement> {
  const rows = await deps.db
    .select()
    .from(collections)
    .where(and(eq(collections.ownerId, checkOwner(ownerId)), eq(collections.name, name)));
  const [placement] = await loadPlacements(deps.db, rows, deps.now());
  if (!placement) throw new VectronError("not_found", `collection ${name} does not exist`);
  return placement;
}

/** An owner's collections, by name. */
export async function listCollectionRecords(deps: PlacementDeps, ownerId: string): Promise<CollectionPlacement[]> {
  const rows = await deps.db
    .select()
    .from(collections)
    .where(eq(collections.ownerId, checkOwner(ownerId)))
    .orderBy(asc(collections.name));
  return loadPlacements(deps.db, rows, deps.now());
}

/** Records (or re-kinds) a payload index of an owner's collection. */
export async function putPayloadIndexRecord(deps: PlacementDeps, ownerId: string, name: string, index: PayloadIndex | undefined): Promise<CollectionPlacement> {
  if (!index) throw invalidArgument("index", "is required");
  const { key, kind } = checkPayloadIndex("index", index);
  const placement = await getCollectionRecord(deps, ownerId, name);
  await deps.db
    .insert(payloadIndexes)
    .values({ collectionId: placement.id, key, kind })
    .onConflictDoUpdate({ target: [payloadIndexes.collectionId, payloadIndexes.key], set: { kind } });
  return getCollectionRecord(deps, ownerId, name);
}

/** Forgets a payload index; `not_found` when the collection has none on that key. */
export async function deletePayloadIndexRecord(deps: PlacementDeps, ownerId: string, name: string, key: string): Promise<CollectionPlacement> {
  const placement = await getCollectionRecord(deps, ownerId, name);
  const removed = await deps.db
    .delete(payloadIndexes)
    .where(and(eq(payloadIndexes.collectionId, placement.id), eq(payloadIndexes.key, key)))
    .returning({ key: payloadIndexes.key });
  if (removed.length === 0) throw new VectronError("not_found", `key: collection ${name} has no payload index on ${JSON.stringify(key)}`);
  return getCollectionRecord(deps, ownerId, name);
}

function checkPayloadIndex(field: string, index: PayloadIndex): { key: string; kind: PayloadIndexKindColumn } {
  if (!index.key || index.key.length > 256 || index.key.split(".").some((segment) => segment === "")) {
    throw invalidArgument(`${field}.key`, "must be a dotted payload path of 1-256 characters with no empty segment");
  }
  return { key: index.key, kind: payloadIndexKindName(index.kind, `${field}.kind`) };
}

/** Deletes an owner's collection (shards and replicas cascade) and returns what it was. */
export async function deleteCollectionRecord(deps: PlacementDeps, ownerId: string, name: string): Promise<CollectionPlacement> {
  const placement = await getCollectionRecord(deps, ownerId, name);
  await deps.db.delete(collections).where(eq(collections.id, placement.id));
  return placement;
}
