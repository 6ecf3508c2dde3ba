import type { CountRequest } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { countPoints } from "./count-points";
import { checkFilter } from "@vectron/payload-filter";
import { checkCollectionName, checkConsistency } from "./validate-input";

/** Count: the exact number of live points, or of those matching a filter. */
export async function countRequest(deps: ApiDeps, ownerId: string, request: CountRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  checkFilter("filter", request.filter);
  return countPoints(deps, await deps.collections.resolve(ownerId, name), request.filter, checkConsistency("consistency", request.consistency));
}
