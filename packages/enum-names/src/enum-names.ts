import { Distance, PayloadIndexKind } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";

/**
 * The text names of the API's enums, as the database columns and the shard store spell
 * them. One table per enum, so placement, the worker and the API can never disagree.
 */
export type DistanceName = "cosine" | "euclidean" | "dot";
export type PayloadIndexKindName = "keyword" | "integer" | "float" | "bool";

const distanceNames = new Map<Distance, DistanceName>([
  [Distance.COSINE, "cosine"],
  [Distance.EUCLIDEAN, "euclidean"],
  [Distance.DOT, "dot"],
]);
const distances = new Map([...distanceNames].map(([value, name]) => [name as string, value]));

const kindNames = new Map<PayloadIndexKind, PayloadIndexKindName>([
  [PayloadIndexKind.KEYWORD, "keyword"],
  [PayloadIndexKind.INTEGER, "integer"],
  [PayloadIndexKind.FLOAT, "float"],
  [PayloadIndexKind.BOOL, "bool"],
]);
const kinds = new Map([...kindNames].map(([value, name]) => [name as string, value]));

/** The name of a Distance; `invalid_argument` on `field` for an unspecified one. */
export function distanceName(distance: Distance, field = "distance"): DistanceName {
  const name = distanceNames.get(distance);
  if (!name) throw invalidArgument(field, "must be DISTANCE_COSINE, DISTANCE_EUCLIDEAN or DISTANCE_DOT");
  return name;
}

/** The Distance a stored name stands for; a RangeError for a name no version wrote. */
export function distanceFromName(name: string): Distance {
  const distance = distances.get(name);
  if (distance === undefined) throw new RangeError(`unknown distance name ${JSON.stringify(name)}`);
  return distance;
}

/** The name of a payload index kind; `invalid_argument` on `field` for an unspecified one. */
export function payloadIndexKindName(kind: PayloadIndexKind, field: string): PayloadIndexKindName {
  const name = kindNames.get(kind);
  if (!name) throw invalidArgument(field, "must be KEYWORD, INTEGER, FLOAT or BOOL");
  return name;
}

/** The kind a stored name stands for; a RangeError for a name no version wrote. */
export function payloadIndexKindFromName(name: string): PayloadIndexKind {
  const kind = kinds.get(name);
  if (kind === undefined) throw new RangeError(`unknown payload index kind ${JSON.stringify(name)}`);
  return kind;
}
