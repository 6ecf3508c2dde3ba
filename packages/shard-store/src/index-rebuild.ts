import type { Database } from "bun:sqlite";
import type { Index } from "usearch";
import { bytesToFloat32 } from "@vectron/vector-bytes";
import { addVectors, catchUpIndex, createIndex, type IndexSettings } from "./hnsw-index";
import type { Statements } from "./shard-database";

/**
 * A fresh HNSW index built from the live rows a chunk at a time (compaction), so the
 * caller can keep serving from the current index between chunks. Rows written while it
 * runs are picked up by the chunks (they have higher seqs) or by the final catch-up,
 * which also removes versions superseded meanwhile; the result equals the database's
 * state at the moment finish() runs.
 */
export class IndexRebuild {
  readonly index: Index;
  readonly #startSeq: number;
  #afterSeq = 0;
  #done = false;

  constructor(
    private readonly db: Database,
    private readonly statements: Statements,
    private readonly settings: IndexSettings,
    startSeq: number,
  ) {
    this.index = createIndex(settings);
    this.#startSeq = startSeq;
  }

  /** Adds the next `maxRows` live rows; true once every row has been read. */
  step(maxRows: number): boolean {
    if (this.#done) return true;
    const rows = this.db
      .query<{ seq: number; vector: Uint8Array }, [number, number]>(
        "SELECT seq, vector FROM points WHERE vector IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?",
      )
      .all(this.#afterSeq, maxRows);
    if (rows.length === 0) return (this.#done = true);
    const dimension = this.settings.dimension;
    const vectors = new Float32Array(rows.length * dimension);
    rows.forEach((row, i) => vectors.set(bytesToFloat32(row.vector), i * dimension));
    addVectors(this.index, BigUint64Array.from(rows, (row) => BigInt(row.seq)), vectors);
    this.#afterSeq = rows[rows.length - 1]!.seq;
    return (this.#done = rows.length < maxRows);
  }

  /** Reads what is left, then applies every change made since the start (idempotent). */
  finish(): Index {
    while (!this.step(4096));
    catchUpIndex(this.index, this.statements, this.#startSeq, this.settings.dimension);
    return this.index;
  }
}
