import { Code, type Client } from "@connectrpc/connect";
import { errorCodeOf } from "@vectron/rpc-errors";
import type { CollectionPlacement, PlacementService } from "@vectron/proto/placement/v1";
import { isUnreachable } from "@vectron/internal-client";
import { requireCollection } from "./require-collection";

export type PlacementClient = Client<typeof PlacementService>;

/**
 * The shard maps of collections this node has used, so the data path does not ask
 * placement on every request. Entries are fresh for `ttlMs`; this node's own creates and
 * deletes invalidate at once, and a request that finds the map out of date (a primary
 * moved) refreshes it. When placement cannot be reached, the last map known is used, so a
 * short outage of placement or its Postgres does not stop reads and writes.
 */
export class CollectionCache {
  private readonly entries = new Map<string, { collection: CollectionPlacement; expiresAt: number }>();

  constructor(
    private readonly placement: PlacementClient,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller's collection by name; `not_found` (from placement) when it has none. */
  async resolve(ownerId: string, name: string): Promise<CollectionPlacement> {
    const hit = this.entries.get(cacheKey(ownerId, name));
    if (hit && hit.expiresAt > this.now()) return hit.collection;
    return this.refresh(ownerId, name);
  }

  /** Asks placement again (the map in hand turned out stale); the old map if placement is unreachable. */
  async refresh(ownerId: string, name: string): Promise<CollectionPlacement> {
    const key = cacheKey(ownerId, name);
    try {
      const collection = requireCollection((await this.placement.getCollection({ ownerId, name })).collection);
      this.entries.set(key, { collection, expiresAt: this.now() + this.ttlMs });
      return collection;
    } catch (err) {
      const stale = this.entries.get(key);
      if (stale && isPlacementOutage(err)) return stale.collection;
      throw err;
    }
  }

  invalidate(ownerId: string, name: string): void {
    this.entries.delete(cacheKey(ownerId, name));
  }
}

/** Placement unreachable, or reachable but without its database (it answers unavailable or internal). */
function isPlacementOutage(err: unknown): boolean {
  if (isUnreachable(err)) return true;
  const code = errorCodeOf(err);
  return code === Code.Unavailable || code === Code.Internal;
}

function cacheKey(ownerId: string, name: string): string {
  return `${ownerId}\u0000${name}`;
}
