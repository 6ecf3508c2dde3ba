import { eq } from "drizzle-orm";
import { apiKeys, users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { digestsEqual } from "./api-key-cache";
import { apiKeyDigest, parseApiKey } from "./api-key-format";
import type { AuthDeps } from "./deps";
import { planOf, type KeyGrant } from "./key-grant";

const REJECTED = "invalid API key";

/**
 * What an API key grants. A malformed or mistyped key (bad check characters) is refused
 * before any lookup; otherwise the key id is looked up by primary key, or found in the
 * cache, and the SHA-256 digests compared in constant time. Any failure is `unauthenticated`.
 */
export async function verifyApiKey(deps: AuthDeps, key: string): Promise<KeyGrant> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new VectronError("unauthenticated", REJECTED);
  const keyId = parsed.id;
  const digest = apiKeyDigest(key);
  const now = deps.now();

  const cached = deps.keyCache.get(keyId, digest, now.getTime());
  if (cached) return cached;

  let row: { userId: string; digest: Uint8Array; readOnly: boolean; plan: string } | undefined;
  try {
    [row] = await deps.db
      .select({ userId: apiKeys.userId, digest: apiKeys.digest, readOnly: apiKeys.readOnly, plan: users.plan })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.id, keyId))
      .limit(1);
  } catch (err) {
    // The database is unreachable: a key this process verified recently keeps working
    // for the stale window (a short Postgres outage must not stop reads and writes).
    const stale = deps.keyCache.getStale(keyId, digest, now.getTime());
    if (stale) return stale;
    throw err;
  }
  if (!row || !digestsEqual(row.digest, digest)) throw new VectronError("unauthenticated", REJECTED);

  // Written on cache misses only: at most once per key, process and cache lifetime.
  await deps.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, keyId));
  const grant: KeyGrant = { userId: row.userId, keyId, readOnly: row.readOnly, plan: planOf(row.plan) };
  deps.keyCache.set(keyId, digest, grant, now.getTime());
  return grant;
}
