import { eq } from "drizzle-orm";
import { placementLeader, type Db } from "@vectron/db";

/** Records `nodeId` as the placement leader (the singleton row), from `since`. */
export async function recordLeader(db: Db, nodeId: string, since: Date): Promise<void> {
  await db
    .insert(placementLeader)
    .values({ id: 1, nodeId, since })
    .onConflictDoUpdate({ target: placementLeader.id, set: { nodeId, since } });
}

/** Forgets the leader record if it still names `nodeId` (a successor may have replaced it). */
export async function clearLeader(db: Db, nodeId: string): Promise<void> {
  await db.delete(placementLeader).where(eq(placementLeader.nodeId, nodeId));
}

/** The recorded leader's node id, or "" when none has led yet. */
export async function recordedLeader(db: Db): Promise<string> {
  const [row] = await db.select({ nodeId: placementLeader.nodeId }).from(placementLeader);
  return row?.nodeId ?? "";
}
