import type { Point, ScrollRequest } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { toPoint } from "./point-message";
import { checkFilter } from "@vectron/payload-filter";
import { onReadReplica, READ_CALL_TIMEOUT_MS } from "./shard-call";
import { checkCollectionName, checkConsistency, checkCount } from "./validate-input";

/**
 * Keyset pagination in id order (UTF-8 byte order, as SQLite compares them): the cursor
 * is the last id returned, so a page never repeats or skips a point that existed
 * throughout, whatever is written meanwhile.
 */
export async function scrollPoints(deps: ApiDeps, ownerId: string, request: ScrollRequest): Promise<{ points: Point[]; nextCursor: string }> {
  const name = checkCollectionName("collection", request.collection);
  const limit = checkCount("limit", request.limit, 100, deps.limits.maxScrollLimit);
  checkFilter("filter", request.filter);
  const afterId = decodeCursor(request.cursor);
  const consistency = checkConsistency("consistency", request.consistency);
  const withPayload = request.withPayload ?? true;
  const collection = await deps.collections.resolve(ownerId, name);
  const pages = await Promise.all(
    collection.shards.map(async ({ shardId }) => {
      const { points } = await onReadReplica(deps, collection, shardId, consistency, (worker, shard, anyReplica) =>
        worker.scrollPoints(
          { shard, afterId, limit: limit + 1, withPayload, withVector: request.withVector, filter: request.filter, anyReplica },
          { timeoutMs: READ_CALL_TIMEOUT_MS },
        ),
      );
      return points;
    }),
  );
  // Byte order of the UTF-8 ids, as the shards return them; each id encoded once.
  const merged = pages
    .flat()
    .map((record) => ({ record, key: Buffer.from(record.id) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ record }) => record);
  const page = merged.slice(0, limit);
  const more = merged.length > limit;
  return {
    points: page.map((record) => toPoint(record, withPayload, request.withVector)),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : "",
  };
}

function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  if (!cursor) return "";
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidArgument("cursor", "is not a cursor returned by Scroll");
  return Buffer.from(cursor, "base64url").toString("utf8");
}
