import type { Database } from "bun:sqlite";
import type { Index } from "usearch";
import type { Counters, IndexDelta } from "./apply-batch";
import { addVectors, catchUpIndex, createIndex, type IndexSettings } from "./hnsw-index";
import { publishIndexFile, removeTempIndexFile, writeIndexFile } from "./index-file";
import { IndexRebuild } from "./index-rebuild";
import { identityJson } from "./index-recovery";
import type { Statements } from "./shard-database";
import { ShardStoreError } from "./shard-store-error";

/** What a LiveIndex works on: the replica's database and its committed counters. */
export interface LiveIndexParts {
  dir: string;
  db: Database;
  statements: Statements;
  settings: IndexSettings;
  counters: Counters;
}

/**
 * The HNSW index of a replica, kept current with its rows. Invariant between calls: the
 * index holds exactly the live rows as of `#seq`, which equals the committed last_seq
 * unless an index update failed after its commit, in which case `current()` catches the
 * index up first.
 */
export class LiveIndex {
  #index: Index;
  #seq: number;
  /** The index differs from the saved file. */
  #dirty: boolean;
  /** Index entries removed since the index was built or loaded (see deletedFraction). */
  #removedSinceBuild = 0;
  /** The seq a running rebuild started from: removals after it must be kept. */
  #rebuildStartSeq: number | undefined;
  /** Bumped by reset(): a rebuild started before it must not be swapped in. */
  #generation = 0;

  constructor(
    private readonly parts: LiveIndexParts,
    index: Index,
    dirty: boolean,
  ) {
    this.#index = index;
    this.#seq = parts.counters.lastSeq;
    this.#dirty = dirty;
  }

  /** The index, caught up with every committed row. */
  current(): Index {
    if (this.#seq !== this.parts.counters.lastSeq) this.#catchUp();
    return this.#index;
  }

  /**
   * Brings the index up to a commit that moved last_seq from `before`: applies its delta,
   * or catches up from the rows if the index was already behind or the delta fails.
   */
  followCommit(before: number, delta: IndexDelta): void {
    const { counters } = this.parts;
    if (counters.lastSeq === before) return;
    this.#dirty = true;
    if (this.#seq !== before) {
      this.#catchUp();
      return;
    }
    try {
      // Remove first so usearch can reuse the freed slots for the additions.
      if (delta.remove.length > 0) this.#index.remove(delta.remove);
      this.#removedSinceBuild += delta.remove.length;
      addVectors(this.#index, delta.addKeys, delta.addVectors);
      this.#seq = counters.lastSeq;
    } catch (error) {
      // The batch is committed and must be reported as such; the index may be half
      // updated, which catch-up repairs (it is idempotent). Throw only if that fails too.
      try {
        this.#catchUp();
      } catch {
        throw new Error("shard store: batch committed but the index could not be updated", { cause: error });
      }
    }
  }

  /** An empty index, for rows that were all deleted (emptyStore); a running rebuild is void. */
  reset(): void {
    this.#generation++;
    this.#rebuildStartSeq = undefined;
    this.#index = createIndex(this.parts.settings);
    this.#seq = this.parts.counters.lastSeq;
    this.#removedSinceBuild = 0;
    this.#dirty = true;
  }

  /** Persists the index if it changed since the last save. */
  save(): void {
    this.current();
    if (!this.#dirty) return;
    const { dir, db, statements, settings } = this.parts;
    const seq = this.#seq;
    const checksum = writeIndexFile(dir, this.#index);
    try {
      // Recorded before the rename, so a crash right after the rename still finds the
      // new file's seq; the old file's record stays valid until the rename happened.
      statements.recordIndexFile.run(checksum, seq, identityJson(settings));
    } catch (error) {
      // Not recorded (a full disk, say): the new file must not take the space either.
      removeTempIndexFile(dir);
      throw error;
    }
    publishIndexFile(dir);
    db.transaction(() => {
      statements.forgetOtherIndexFiles.run(checksum);
      // The file on disk now reflects every removal up to seq; catch-up needs no more,
      // except a running rebuild's, which replays the removals since its start.
      statements.pruneSuperseded.run(this.#rebuildStartSeq === undefined ? seq : Math.min(seq, this.#rebuildStartSeq));
    })();
    this.#dirty = false;
  }

  /** Share of entries removed since the index was built or loaded, against the live ones. */
  deletedFraction(): number {
    const live = this.parts.counters.liveCount;
    return this.#removedSinceBuild === 0 ? 0 : this.#removedSinceBuild / (live + this.#removedSinceBuild);
  }

  /** See ShardStore.startIndexRebuild; `assertOpen` guards every step. */
  startRebuild(assertOpen: () => void): { step(maxRows: number): boolean; finish(): void; abandon(): void } {
    if (this.#rebuildStartSeq !== undefined) throw new ShardStoreError("ERR_REBUILD_RUNNING", "an index rebuild is already running");
    const { db, statements, settings, counters } = this.parts;
    const startSeq = counters.lastSeq;
    const rebuild = new IndexRebuild(db, statements, settings, startSeq);
    this.#rebuildStartSeq = startSeq;
    const generation = this.#generation;
    const assertCurrent = () => {
      assertOpen();
      if (generation !== this.#generation) throw new ShardStoreError("ERR_REBUILD_RUNNING", "the store was emptied during the index rebuild");
    };
    return {
      step: (maxRows) => {
        assertCurrent();
        return rebuild.step(maxRows);
      },
      finish: () => {
        assertCurrent();
        this.#index = rebuild.finish();
        this.#seq = counters.lastSeq;
        this.#removedSinceBuild = 0;
        this.#rebuildStartSeq = undefined;
        this.#dirty = true;
      },
      abandon: () => {
        if (generation === this.#generation) this.#rebuildStartSeq = undefined;
      },
    };
  }

  #catchUp(): void {
    const target = this.parts.counters.lastSeq;
    catchUpIndex(this.#index, this.parts.statements, this.#seq, this.parts.settings.dimension);
    this.#seq = target;
    this.#dirty = true;
  }
}
