import type { CountRequest } from "@vectron/proto/v1";
import type { ApiDeps } from "./api-deps";
import { countPoints } from "./count-points";
import { rejectFilter } from "./reject-filter";
import { checkCollectionName } from "./validate-input";

/** Count: the exact number of live points. */
export async function countRequest(deps: ApiDeps, ownerId: string, request: CountRequest): Promise<number> {
  const name = checkCollectionName("collection", request.collection);
  rejectFilter(request.filter);
  return countPoints(deps, await deps.collections.resolve(ownerId, name));
}
