import { asc, count, eq, sql } from "drizzle-orm";
import { apiKeys, collections, users, type Db } from "@vectron/db";
import { planNames, type PlanName } from "@vectron/quotas";

/** A user as an operator sees it: `vectron users ls`. */
export interface UserSummary {
  email: string;
  plan: string;
  collections: number;
  apiKeys: number;
  createdAt: Date;
}

/** Every user, oldest first, with how many collections and API keys each has. */
export async function listUserSummaries(db: Db): Promise<UserSummary[]> {
  const collectionCount = db
    .select({ ownerId: collections.ownerId, n: count().as("collection_count") })
    .from(collections)
    .groupBy(collections.ownerId)
    .as("collection_counts");
  const keyCount = db.select({ userId: apiKeys.userId, n: count().as("key_count") }).from(apiKeys).groupBy(apiKeys.userId).as("key_counts");
  const rows = await db
    .select({
      email: users.email,
      plan: users.plan,
      createdAt: users.createdAt,
      collections: sql<number>`coalesce(${collectionCount.n}, 0)`.mapWith(Number),
      apiKeys: sql<number>`coalesce(${keyCount.n}, 0)`.mapWith(Number),
    })
    .from(users)
    .leftJoin(collectionCount, eq(collectionCount.ownerId, users.id))
    .leftJoin(keyCount, eq(keyCount.userId, users.id))
    .orderBy(asc(users.createdAt), asc(users.email));
  return rows;
}

/** `plan` checked against the plans there are; throws a message naming them. */
export function parsePlanName(text: string): PlanName {
  const plan = text.trim().toLowerCase();
  if (!(planNames as readonly string[]).includes(plan)) throw new Error(`unknown plan ${JSON.stringify(text)}; plans are ${planNames.join(", ")}`);
  return plan as PlanName;
}

/**
 * Puts the user with this email (any case) on `plan`; returns the plan it was on.
 * Nodes see the change when their caches of keys and plans expire (5 s).
 */
export async function setUserPlan(db: Db, email: string, plan: PlanName): Promise<{ email: string; previous: string }> {
  const normalized = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const [before] = await tx.select({ plan: users.plan }).from(users).where(eq(users.email, normalized)).for("update");
    if (!before) throw new Error(`no user with email ${normalized} (see vectron users ls)`);
    await tx.update(users).set({ plan }).where(eq(users.email, normalized));
    return { email: normalized, previous: before.plan };
  });
}
