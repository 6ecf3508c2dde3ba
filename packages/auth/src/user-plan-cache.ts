import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import type { Db } from "@vectron/db";
import { planOf, type Plan } from "./key-grant";

/**
 * The plan of a session's user, read from users.plan at most once per `ttlMs` per user
 * and process, so that a data call made with a session costs no query at steady state
 * and a plan change reaches every node within `ttlMs`.
 */
export interface UserPlanCache {
  planOf(userId: string, nowMs: number): Promise<Plan>;
}

export function createUserPlanCache(db: Db, options: { ttlMs: number; maxEntries?: number }): UserPlanCache {
  const { ttlMs, maxEntries = 10_000 } = options;
  const entries = new Map<string, { plan: Plan; expiresAtMs: number }>();
  return {
    async planOf(userId, nowMs) {
      const entry = entries.get(userId);
      if (entry && entry.expiresAtMs > nowMs) return entry.plan;
      const [row] = await db.select({ plan: users.plan }).from(users).where(eq(users.id, userId)).limit(1);
      // A valid token for a deleted account: the account is gone, so is the session.
      if (!row) throw new VectronError("unauthenticated", "invalid session token");
      const plan = planOf(row.plan);
      entries.delete(userId);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      if (ttlMs > 0) entries.set(userId, { plan, expiresAtMs: nowMs + ttlMs });
      return plan;
    },
  };
}
