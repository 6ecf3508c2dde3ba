import { join } from "node:path";
import { datasetsDir } from "./datasets-dir";

export interface SiftSet {
  /** The first 4,500 rows: what gets indexed. */
  base: Float32Array[];
  /** Their ids (the file's id column, e.g. "100001"). */
  baseIds: string[];
  /** The last 500 rows: held-out queries. */
  queries: Float32Array[];
}

export const SIFT_DIMENSION = 128;
const BASE_ROWS = 4500;

/** Reads sift-5k.tsv: 5,000 rows of 128 integer features then an id. */
export async function loadSift(): Promise<SiftSet> {
  const text = await Bun.file(join(datasetsDir(), "sift-5k.tsv")).text();
  const rows = text.trimEnd().split("\n");
  const vectors: Float32Array[] = [];
  const ids: string[] = [];
  for (const row of rows) {
    const cells = row.split("\t");
    if (cells.length !== SIFT_DIMENSION + 1) throw new Error(`sift-5k.tsv: a row has ${cells.length} cells`);
    vectors.push(Float32Array.from(cells.slice(0, SIFT_DIMENSION), Number));
    ids.push(cells[SIFT_DIMENSION]!.trim());
  }
  return { base: vectors.slice(0, BASE_ROWS), baseIds: ids.slice(0, BASE_ROWS), queries: vectors.slice(BASE_ROWS) };
}

/**
 * A payload derived from a SIFT row, with the kinds of values payloads hold (strings,
 * numbers, booleans, nesting, arrays, unicode) so round trips are checked on all of them.
 */
export function siftPayload(index: number, id: string) {
  return {
    sourceId: id,
    row: index,
    bucket: index % 10,
    even: index % 2 === 0,
    label: `sift-${index % 7}-é✓`,
    meta: { split: "base", tags: ["sift", `t${index % 3}`], score: index / 7 },
  };
}
