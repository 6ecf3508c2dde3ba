import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "@vectron/durable-file";

/**
 * What a shard replica has promised and holds, as replication needs it after a restart.
 * Kept in `replication.json` in the shard's directory, written atomically and fsynced
 * before the replica acts on a change of it.
 */
export interface ReplicaState {
  /** The highest epoch promised: anything from an older epoch is refused. */
  promisedEpoch: number;
  /** The epoch whose primary's log this replica holds a prefix of. */
  logEpoch: number;
  /**
   * As primary of logEpoch: the log epoch and last sequence it had when it took that
   * role, so followers can tell whether their log is a prefix of its log.
   */
  baseEpoch: number;
  baseSeq: number;
  /**
   * Emptied to copy a primary's log from scratch, and not caught up since: it holds an
   * arbitrary part of the data, so it serves no reads at all.
   */
  copying: boolean;
  /**
   * Set while it is mid-copy, applying pages that did not reach the primary's end: the
   * last sequence up to which it holds exactly a state of the primary's log (its last
   * sequence before those pages). Null otherwise, when its last sequence is that. Written
   * only when it changes (the first page not at the end, the next at the end), so the
   * pages in between cost no extra fsync.
   */
  midCopyConsistentSeq: number | null;
}

const FILE = "replication.json";

/** The state of a replica created without one: an empty log of no epoch yet. */
export function initialReplicaState(promisedEpoch: number, copying: boolean): ReplicaState {
  return { promisedEpoch, logEpoch: 0, baseEpoch: 0, baseSeq: 0, copying, midCopyConsistentSeq: null };
}

/**
 * The recorded state, or undefined if the shard has none (created before replication
 * existed, or a crash between creating the shard and recording it).
 */
export function readReplicaState(shardDir: string): ReplicaState | undefined {
  const path = join(shardDir, FILE);
  if (!existsSync(path)) return undefined;
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<ReplicaState>;
  const number = (value: unknown) => (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : 0);
  return {
    promisedEpoch: number(raw.promisedEpoch),
    logEpoch: number(raw.logEpoch),
    baseEpoch: number(raw.baseEpoch),
    baseSeq: number(raw.baseSeq),
    copying: raw.copying === true,
    // Absent in files written before it existed: those replicas report their last sequence.
    midCopyConsistentSeq: raw.midCopyConsistentSeq === undefined || raw.midCopyConsistentSeq === null ? null : number(raw.midCopyConsistentSeq),
  };
}

/** True once the replica has a recorded state: it was set up on this worker at least once. */
export function hasReplicaState(shardDir: string): boolean {
  return existsSync(join(shardDir, FILE));
}

/** Records the state durably (fsync of the file and of the directory). */
export function writeReplicaState(shardDir: string, state: ReplicaState): void {
  writeFileAtomically(join(shardDir, FILE), JSON.stringify(state));
}
