import { Distance } from "@vectron/proto/v1";

const names = new Map<Distance, string>([
  [Distance.COSINE, "cosine"],
  [Distance.EUCLIDEAN, "euclidean"],
  [Distance.DOT, "dot"],
]);
const values = new Map([...names].map(([value, name]) => [name, value]));

/** The text stored in `collections.distance` for a Distance. */
export function distanceToColumn(distance: Distance): string {
  const name = names.get(distance);
  if (!name) throw new RangeError(`no column value for distance ${distance}`);
  return name;
}

/** The Distance of a stored `collections.distance`. */
export function distanceFromColumn(column: string): Distance {
  const value = values.get(column);
  if (value === undefined) throw new RangeError(`unknown distance column value ${JSON.stringify(column)}`);
  return value;
}
