import type { Database } from "bun:sqlite";
import type { Counters } from "./apply-batch";
import type { PayloadIndexes } from "./payload-indexes";
import type { Statements } from "./shard-database";

/**
 * Deletes every row version, tombstone and payload index entry in one transaction and
 * sets last_seq back to 0, keeping the store's dimension, metric and payload index
 * declarations: what a follower does before copying a primary's log from scratch (its
 * own log may hold writes the primary never had). Sequence numbers are reused from then
 * on, which is safe because the caller replaces the in-memory index by an empty one and
 * every saved index file is forgotten here (so none is ever loaded against new rows).
 */
export function emptyStore(db: Database, statements: Statements, counters: Counters, payloadIndexes: PayloadIndexes): void {
  db.transaction(() => {
    db.run("DELETE FROM points");
    db.run("DELETE FROM superseded");
    db.run("DELETE FROM payload_values");
    statements.forgetIndexFiles.run();
    statements.updateCounters.run(0, 0);
    payloadIndexes.markCurrent(0);
  })();
  counters.lastSeq = 0;
  counters.liveCount = 0;
}
