import type { DeletePayloadKeysRequest, SetPayloadRequest } from "@vectron/proto/v1";
import { PayloadUpdateMode } from "@vectron/proto/worker/v1";
import { invalidArgument } from "@vectron/rpc-errors";
import type { ApiDeps } from "./api-deps";
import { onPrimary, WRITE_CALL_TIMEOUT_MS } from "./shard-call";
import { groupByShard } from "./shard-routing";
import { checkWriteQuorum } from "./write-quorum";
import { checkCollectionName, checkIds, encodePayload } from "./validate-input";

const MAX_KEYS = 1024;

/** SetPayload: merge keys into (or, with `overwrite`, replace) the payloads of existing points. */
export async function setPayload(deps: ApiDeps, ownerId: string, request: SetPayloadRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  const ids = checkIds("ids", request.ids, deps.limits);
  if (!request.payload) throw invalidArgument("payload", "is required");
  const payload = encodePayload("payload", request.payload, deps.limits);
  const mode = request.overwrite ? PayloadUpdateMode.OVERWRITE : PayloadUpdateMode.MERGE;
  return updateOnShards(deps, ownerId, name, ids, request.writeQuorum, { mode, payload });
}

/** DeletePayloadKeys: remove top-level keys from the payloads of existing points. */
export async function deletePayloadKeys(deps: ApiDeps, ownerId: string, request: DeletePayloadKeysRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  const ids = checkIds("ids", request.ids, deps.limits);
  if (request.keys.length === 0) throw invalidArgument("keys", "must not be empty");
  if (request.keys.length > MAX_KEYS) throw invalidArgument("keys", `has ${request.keys.length} keys, the limit is ${MAX_KEYS}`);
  request.keys.forEach((key, i) => {
    if (!key || key.length > 256) throw invalidArgument(`keys[${i}]`, "must be 1-256 characters");
  });
  return updateOnShards(deps, ownerId, name, ids, request.writeQuorum, { mode: PayloadUpdateMode.DELETE_KEYS, keys: request.keys });
}

/** One UpdatePayloads per shard holding some of the ids; returns how many points were updated. */
async function updateOnShards(
  deps: ApiDeps,
  ownerId: string,
  name: string,
  ids: string[],
  askedQuorum: number,
  update: { mode: PayloadUpdateMode; payload?: Uint8Array; keys?: string[] },
): Promise<number> {
  const collection = await deps.collections.resolve(ownerId, name);
  const writeQuorum = checkWriteQuorum(askedQuorum, collection);
  const groups = groupByShard(ids, (id) => id, collection.shardCount);
  const results = await Promise.all(
    [...groups].map(([shardId, shardIds]) =>
      onPrimary(deps, collection, shardId, (worker, shard) =>
        worker.updatePayloads(
          { shard, ids: shardIds, maxPayloadBytes: deps.limits.maxPayloadBytes, writeQuorum, ...update },
          { timeoutMs: WRITE_CALL_TIMEOUT_MS },
        ),
      ),
    ),
  );
  return results.reduce((sum, result) => sum + result.updated, 0);
}
