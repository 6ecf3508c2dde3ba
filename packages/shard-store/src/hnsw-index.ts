import { Index, ScalarKind } from "usearch";
import { usearchMetricOf } from "./metric";
import type { Statements } from "./shard-database";
import type { Metric } from "./types";
import { bytesToFloat32 as blobToVector } from "@vectron/vector-bytes";

/**
 * What a saved index file must agree with to be reused. A file carries its own
 * dimension, metric and connectivity (usearch's load overrides the constructor's), so
 * these are recorded beside its checksum and compared at open. The expansion factors
 * are not part of it: expansion_search stays whatever the constructor set.
 */
export interface IndexIdentity {
  dimension: number;
  metric: Metric;
  connectivity: number;
}

/** Construction parameters of the in-memory index. */
export interface IndexSettings extends IndexIdentity {
  expansionAdd: number;
  expansionSearch: number;
}

/** An empty usearch index with these settings (one vector per key). */
export function createIndex(settings: IndexSettings): Index {
  return new Index({
    dimensions: settings.dimension,
    metric: usearchMetricOf[settings.metric],
    quantization: ScalarKind.F32,
    connectivity: settings.connectivity,
    expansion_add: settings.expansionAdd,
    expansion_search: settings.expansionSearch,
    multi: false,
  });
}

/**
 * Always one thread per add call. usearch 2.26's concurrent add can leave nodes that
 * are stored but unreachable by any search (unum-cloud/USearch#735, fix pending in
 * #772): measured here, 2 threads orphaned points in ~5% of 300-point builds, 1 thread
 * never. reachability.test.ts pins this; revisit when a fixed usearch ships.
 */
const addThreads = 1;

/** Adds `keys.length` vectors laid out back to back in `vectors`, in one call. */
export function addVectors(index: Index, keys: BigUint64Array, vectors: Float32Array): void {
  if (keys.length === 0) return;
  // usearch reads keys.length vectors without checking the buffer's length.
  if (vectors.length !== keys.length * index.dimensions()) throw new Error("addVectors: keys and vectors disagree");
  index.add(keys, vectors, addThreads);
}

/** Removes the keys present in the index; returns how many were removed. */
export function removeKeys(index: Index, keys: bigint[]): number {
  if (keys.length === 0) return 0;
  const contained = index.contains(keys) as boolean[];
  const present = keys.filter((_, i) => contained[i]);
  if (present.length > 0) index.remove(new BigUint64Array(present));
  return present.length;
}

/** Rows added per usearch call during catch-up and rebuild: bounds the copy buffer. */
const batchRows = 4096;

/**
 * Brings `index` from the state of seq `fromSeq` up to the database's current state:
 * removes every key superseded after fromSeq, then adds every live row newer than
 * fromSeq. Idempotent (each key is checked with `contains` first), because the index
 * may already hold part of this work: a crash can land between saving an index file
 * and recording its seq, and a failed apply may have half-updated the index.
 * With fromSeq = 0 on an empty index this is a full rebuild. Returns the operations done.
 */
export function catchUpIndex(index: Index, statements: Statements, fromSeq: number, dimension: number): number {
  const superseded = statements.supersededAfter.all(fromSeq).map((row) => BigInt(row.key));
  let operations = 0;
  for (let start = 0; start < superseded.length; start += batchRows) {
    operations += removeKeys(index, superseded.slice(start, start + batchRows));
  }
  let keys: bigint[] = [];
  const vectors = new Float32Array(batchRows * dimension);
  const flush = () => {
    if (keys.length === 0) return;
    const contained = index.contains(keys) as boolean[];
    // Compact the rows not yet in the index to the front of the buffer, in place.
    let missing = 0;
    for (let i = 0; i < keys.length; i++) {
      if (contained[i]) continue;
      if (missing !== i) vectors.copyWithin(missing * dimension, i * dimension, (i + 1) * dimension);
      keys[missing++] = keys[i]!;
    }
    addVectors(index, new BigUint64Array(keys.slice(0, missing)), vectors.subarray(0, missing * dimension));
    operations += missing;
    keys = [];
  };
  for (const row of statements.liveVectorsAfter.iterate(fromSeq)) {
    vectors.set(blobToVector(row.vector), keys.length * dimension);
    keys.push(BigInt(row.seq));
    if (keys.length === batchRows) flush();
  }
  flush();
  return operations;
}
