import type { Index } from "usearch";
import { catchUpIndex, createIndex, type IndexIdentity, type IndexSettings } from "./hnsw-index";
import { indexFilePath, removeTempIndexFile, savedIndexChecksum } from "./index-file";
import type { Statements } from "./shard-database";
import type { OpenInfo } from "./types";

/** The index of a replica being opened, current with the database. */
export interface RecoveredIndex {
  index: Index;
  info: OpenInfo;
}

/** The JSON recorded beside a saved file's checksum, compared at open. */
export function identityJson(settings: IndexIdentity): string {
  const { dimension, metric, connectivity } = settings;
  return JSON.stringify({ dimension, metric, connectivity });
}

/**
 * Loads the saved index and catches it up with the rows written after it was saved;
 * rebuilds from every live row only when there is no usable saved index (none, not the
 * file whose checksum was recorded, built with other settings, or disagreeing with the
 * rows after catch-up). `liveCount` is the number of live rows, which a current index
 * must hold exactly.
 */
export function recoverIndex(
  dir: string,
  statements: Statements,
  settings: IndexSettings,
  liveCount: number,
): RecoveredIndex {
  // A crash in the middle of a save leaves this behind; it was never published.
  removeTempIndexFile(dir);
  const loaded = loadSavedIndex(dir, statements, settings);
  if (typeof loaded === "string") return rebuild(statements, settings, liveCount, loaded);
  const caughtUp = catchUpIndex(loaded.index, statements, loaded.seq, settings.dimension);
  if (loaded.index.size() !== liveCount) {
    const reason = `saved index holds ${loaded.index.size()} points after catch-up, rows hold ${liveCount}`;
    return rebuild(statements, settings, liveCount, reason);
  }
  return { index: loaded.index, info: { loadedIndex: true, caughtUp, rebuilt: false } };
}

/** The saved index and the seq it reflects, or why it cannot be used. */
function loadSavedIndex(
  dir: string,
  statements: Statements,
  settings: IndexSettings,
): { index: Index; seq: number } | string {
  const checksum = savedIndexChecksum(dir);
  if (checksum === null) return "no saved index";
  const recorded = statements.indexFile.get(checksum);
  // Never hand usearch a file we did not verify: it aborts the process on corrupt input.
  if (!recorded) return "saved index does not match a recorded checksum";
  if (recorded.config !== identityJson(settings)) {
    return `saved index was built with ${recorded.config}, options ask for ${identityJson(settings)}`;
  }
  const index = createIndex(settings);
  try {
    index.load(indexFilePath(dir));
  } catch (error) {
    return `saved index failed to load: ${String(error)}`;
  }
  if (index.dimensions() !== settings.dimension) return "saved index has another dimension";
  return { index, seq: recorded.seq };
}

function rebuild(statements: Statements, settings: IndexSettings, liveCount: number, reason: string): RecoveredIndex {
  const index = createIndex(settings);
  catchUpIndex(index, statements, 0, settings.dimension);
  if (index.size() !== liveCount) {
    throw new Error(`shard store: rebuilt index holds ${index.size()} points, rows hold ${liveCount}`);
  }
  return { index, info: { loadedIndex: false, caughtUp: 0, rebuilt: true, rebuildReason: reason } };
}
