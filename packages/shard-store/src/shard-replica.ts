import type { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import type { BatchMatches, Index } from "usearch";
import { isEmptyFilter, type PayloadFilter } from "@vectron/payload-filter";
import { commitBatch, type Counters } from "./apply-batch";
import { commitChanges } from "./apply-changes";
import { CommitBoundaries } from "./commit-boundaries";
import { isDiskFull, withDiskFull } from "./disk-full";
import { emptyStore } from "./empty-store";
import { planFilter, type FilterPlan } from "./filter-plan";
import { FilteredReads } from "./filtered-reads";
import { filteredSearch } from "./filtered-search";
import type { IndexSettings } from "./hnsw-index";
import { LiveIndex } from "./live-index";
import { scoreOf } from "./metric";
import { PayloadIndexes } from "./payload-indexes";
import { PointReader, type PointRow, type Statements } from "./shard-database";
import { digestLivePoints } from "./shard-digest";
import { ShardStoreError } from "./shard-store-error";
import type {
  ApplyResult,
  Change,
  Hit,
  Metric,
  OpenInfo,
  PayloadIndexInfo,
  PayloadIndexKind,
  PointInput,
  ReadOptions,
  ShardStore,
  StoredPoint,
} from "./types";
import { bytesToFloat32 as blobToVector } from "@vectron/vector-bytes";

/** What openShardStore hands over once the database and index are ready. */
export interface ReplicaParts {
  dir: string;
  db: Database;
  statements: Statements;
  settings: IndexSettings;
  counters: Counters;
  /** The recovered index; from then on the LiveIndex owns (and may replace) it. */
  index: Index;
  openInfo: OpenInfo;
}

/**
 * One open shard replica: the rows in SQLite, and a LiveIndex kept current with them
 * (caught up before any search if an index update failed after its commit).
 */
export class ShardReplica implements ShardStore {
  readonly dimension: number;
  readonly metric: Metric;
  readonly openInfo: OpenInfo;
  readonly #parts: ReplicaParts;
  readonly #reader: PointReader;
  readonly #filtered: FilteredReads;
  readonly #payloadIndexes: PayloadIndexes;
  readonly #index: LiveIndex;
  /** Ends of this process's recent apply() commits (not of applyChanges: a page's end need not be one). */
  readonly #commitEnds = new CommitBoundaries();
  #closed = false;

  constructor(parts: ReplicaParts) {
    this.#parts = parts;
    this.dimension = parts.settings.dimension;
    this.metric = parts.settings.metric;
    this.openInfo = parts.openInfo;
    this.#reader = new PointReader(parts.db);
    this.#filtered = new FilteredReads(parts.db);
    this.#payloadIndexes = new PayloadIndexes(parts.db, parts.counters);
    this.#index = new LiveIndex(parts, parts.index, parts.openInfo.rebuilt || parts.openInfo.caughtUp > 0);
  }

  lastSeq(): number {
    this.#assertOpen();
    return this.#parts.counters.lastSeq;
  }

  count(filter?: PayloadFilter): number {
    this.#assertOpen();
    const plan = this.#planOf(filter);
    return plan ? this.#filtered.count(plan) : this.#parts.counters.liveCount;
  }

  createPayloadIndex(key: string, kind: PayloadIndexKind): boolean {
    this.#assertOpen();
    return this.#writing(`creating payload index ${JSON.stringify(key)}`, () => this.#payloadIndexes.create(key, kind));
  }

  dropPayloadIndex(key: string): boolean {
    this.#assertOpen();
    return this.#writing(`dropping payload index ${JSON.stringify(key)}`, () => this.#payloadIndexes.drop(key));
  }

  payloadIndexes(): PayloadIndexInfo[] {
    this.#assertOpen();
    return this.#payloadIndexes.list();
  }

  apply(upserts: PointInput[], deletes: string[]): ApplyResult {
    this.#assertOpen();
    const { db, statements, counters } = this.#parts;
    const before = counters.lastSeq;
    const { result, delta } = this.#writing("committing a write", () =>
      commitBatch(db, statements, counters, this.dimension, upserts, deletes, this.#payloadIndexes),
    );
    this.#commitEnds.record(result.lastSeq);
    this.#index.followCommit(before, delta);
    return result;
  }

  applyChanges(changes: Change[], throughSeq: number): { lastSeq: number } {
    this.#assertOpen();
    const { db, statements, counters } = this.#parts;
    const before = counters.lastSeq;
    const delta = this.#writing("committing replicated changes", () =>
      commitChanges(db, statements, counters, this.dimension, changes, throughSeq, this.#payloadIndexes),
    );
    this.#index.followCommit(before, delta);
    return { lastSeq: counters.lastSeq };
  }

  clear(): void {
    this.#assertOpen();
    const { db, statements, counters } = this.#parts;
    this.#writing("emptying the shard", () => emptyStore(db, statements, counters, this.#payloadIndexes));
    this.#commitEnds.clear();
    this.#index.reset();
  }

  digest(): string {
    this.#assertOpen();
    return digestLivePoints(this.#parts.db);
  }

  copyTo(path: string): { lastSeq: number; count: number } {
    this.#assertOpen();
    // One statement, one read transaction: the copy is the last committed state.
    this.#parts.db.run("VACUUM INTO ?", [path]);
    return { lastSeq: this.lastSeq(), count: this.count() };
  }

  get(ids: string[], options: ReadOptions): StoredPoint[] {
    this.#assertOpen();
    if (ids.length === 0) return [];
    const rows = new Map<string, PointRow>();
    for (const row of this.#reader.byIds(JSON.stringify(ids), options)) rows.set(row.id, row);
    const points: StoredPoint[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (!row) continue;
      rows.delete(id); // a repeated id is returned once
      points.push(toPoint(row, options));
    }
    return points;
  }

  search(query: Float32Array, k: number, options: ReadOptions, ef = 0, filter?: PayloadFilter): Hit[] {
    this.#assertOpen();
    this.#assertDimension(query);
    const { asked, kept } = this.#wanted(k, ef);
    if (kept === 0) return [];
    const plan = this.#planOf(filter);
    if (plan) {
      const parts = { index: this.#index.current(), reads: this.#filtered, metric: this.metric, liveCount: this.#parts.counters.liveCount };
      return this.#toHits([filteredSearch(parts, query, kept, asked, plan)], options, kept)[0]!;
    }
    const matches = this.#index.current().search(query, asked, 1);
    return this.#toHits([{ keys: matches.keys, distances: matches.distances }], options, kept)[0]!;
  }

  searchBatch(queries: Float32Array[], k: number, options: ReadOptions, ef = 0): Hit[][] {
    this.#assertOpen();
    for (const query of queries) this.#assertDimension(query);
    const { asked: wanted, kept } = this.#wanted(k, ef);
    if (kept === 0 || queries.length === 0) return queries.map(() => []);
    // One thread: usearch reserves search contexts for as many threads as the add that
    // last grew the index used, and adds are single-threaded (hnsw-index.ts), so a
    // multi-threaded search fails with "Reserve capacity ahead of searches!".
    if (queries.length === 1) {
      // usearch answers a batch of one as a single query (Matches, without counts).
      const single = this.#index.current().search(queries[0]!, wanted, 1);
      return this.#toHits([{ keys: single.keys, distances: single.distances }], options, kept);
    }
    const matches = this.#index.current().search(queries, wanted, 1) as BatchMatches;
    const perQuery = queries.map((_, q) => {
      const found = Number(matches.counts[q]);
      return {
        keys: matches.keys.subarray(q * wanted, q * wanted + found),
        distances: matches.distances.subarray(q * wanted, q * wanted + found),
      };
    });
    return this.#toHits(perQuery, options, kept);
  }

  /**
   * How many neighbours to keep, and how many to ask the index for: usearch searches with
   * breadth max(expansion_search, asked), so asking for `ef` candidates and keeping the
   * best k is a per-request ef without a second index.
   */
  #wanted(k: number, ef: number): { asked: number; kept: number } {
    const live = this.#parts.counters.liveCount;
    const kept = Math.min(Math.floor(k), live);
    if (!(kept > 0)) return { asked: 0, kept: 0 }; // also catches NaN, which usearch would reject
    return { asked: Math.min(Math.max(kept, Math.floor(ef) || 0), live), kept };
  }

  #assertDimension(query: Float32Array): void {
    if (query.length !== this.dimension) {
      throw new ShardStoreError(
        "ERR_DIMENSION_MISMATCH",
        `query has ${query.length} dimensions, the shard has ${this.dimension}`,
      );
    }
  }

  /** The best `kept` index matches of each query as hits, reading all their rows in one query. */
  #toHits(found: { keys: BigUint64Array; distances: Float32Array }[], options: ReadOptions, kept: number): Hit[][] {
    // Matches come best first; sentinel slots (fewer matches than asked) match no row.
    const matches = found.map(({ keys, distances }) => ({ keys: keys.subarray(0, kept), distances }));
    const seqs = new Set<number>();
    for (const match of matches) for (const key of match.keys) seqs.add(Number(key));
    const rows = new Map<number, PointRow>();
    for (const row of this.#reader.bySeqs(JSON.stringify([...seqs]), options)) rows.set(row.seq, row);
    return matches.map(({ keys, distances }) => {
      const hits: Hit[] = [];
      for (let i = 0; i < keys.length; i++) {
        // Unfilled slots carry a sentinel key that matches no row; skip them.
        const row = rows.get(Number(keys[i]));
        if (!row) continue;
        hits.push({ id: row.id, score: scoreOf(this.metric, distances[i]!), ...readParts(row, options) });
      }
      return hits;
    });
  }

  scroll(afterId: string, limit: number, options: ReadOptions, filter?: PayloadFilter): StoredPoint[] {
    this.#assertOpen();
    if (!(limit > 0)) return [];
    const plan = this.#planOf(filter);
    const rows = plan
      ? this.#filtered.after(afterId, Math.floor(limit), options, plan)
      : this.#reader.after(afterId, Math.floor(limit), options);
    return rows.map((row) => toPoint(row, options));
  }

  changesSince(seq: number, limit: number): Change[] {
    this.#assertOpen();
    if (!(limit > 0)) return [];
    return this.#parts.statements.changesAfter.all(seq, Math.floor(limit)).map((row): Change =>
      row.vector === null
        ? { seq: row.seq, id: row.id, deleted: true }
        : { seq: row.seq, id: row.id, deleted: false, vector: blobToVector(row.vector), payload: row.payload ?? "" },
    );
  }

  lastCommitEndIn(from: number, to: number): number | undefined {
    this.#assertOpen();
    return this.#commitEnds.highestIn(from, to);
  }

  saveIndex(): void {
    this.#assertOpen();
    this.#writing("saving the index", () => this.#index.save());
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.saveIndex();
    } catch (error) {
      // The index is a cache of the rows: on a full disk the next open catches the last
      // saved one up from them, so a stop goes on cleanly.
      if (!isDiskFull(error)) throw error;
    } finally {
      this.#closed = true;
      this.#parts.db.close();
    }
  }

  drop(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#parts.db.close();
    }
    rmSync(this.#parts.dir, { recursive: true, force: true });
  }

  deletedFraction(): number {
    return this.#index.deletedFraction();
  }

  startIndexRebuild(): { step(maxRows: number): boolean; finish(): void; abandon(): void } {
    this.#assertOpen();
    return this.#index.startRebuild(() => this.#assertOpen());
  }

  /** How to evaluate a filter (payload-index candidates where they serve), or undefined when there is nothing to filter. */
  #planOf(filter: PayloadFilter | undefined): FilterPlan | undefined {
    return filter && !isEmptyFilter(filter) ? planFilter(this.#parts.db, this.#payloadIndexes, filter) : undefined;
  }

  /**
   * Runs a write; a full disk becomes ERR_DISK_FULL naming the shard. A commit that fails
   * so leaves nothing behind: its transaction is rolled back and the counters and index
   * move only after a commit, so the store goes on serving and takes writes once there
   * is space again.
   */
  #writing<T>(what: string, run: () => T): T {
    return withDiskFull(`shard ${this.#parts.dir}: ${what}`, run);
  }

  #assertOpen(): void {
    if (this.#closed) throw new ShardStoreError("ERR_SHARD_CLOSED", `shard store ${this.#parts.dir} is closed`);
  }
}

function toPoint(row: PointRow, options: ReadOptions): StoredPoint {
  return { id: row.id, ...readParts(row, options) };
}

/** The payload and vector of a row, each only when asked for. */
function readParts(row: PointRow, options: ReadOptions): { payload?: string; vector?: Float32Array } {
  const parts: { payload?: string; vector?: Float32Array } = {};
  if (options.payload && row.payload !== undefined) parts.payload = row.payload;
  if (options.vector && row.vector !== undefined) parts.vector = blobToVector(row.vector);
  return parts;
}
