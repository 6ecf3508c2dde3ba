import type { Client } from "@connectrpc/connect";
import type { CollectionPlacement, PlacementService } from "@vectron/proto/placement/v1";
import { requireCollection } from "./require-collection";

export type PlacementClient = Client<typeof PlacementService>;

/**
 * The shard maps of collections this node has used, so the data path does not ask
 * placement on every request. Entries live `ttlMs`; this node's own creates and deletes
 * invalidate at once.
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
    const key = cacheKey(ownerId, name);
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return hit.collection;
    const collection = requireCollection((await this.placement.getCollection({ ownerId, name })).collection);
    this.entries.set(key, { collection, expiresAt: this.now() + this.ttlMs });
    return collection;
  }

  invalidate(ownerId: string, name: string): void {
    this.entries.delete(cacheKey(ownerId, name));
  }
}

function cacheKey(ownerId: string, name: string): string {
  return `${ownerId}\u0000${name}`;
}
