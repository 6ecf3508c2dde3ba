import { count, eq } from "drizzle-orm";
import { apiKeys, users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { generateApiKey } from "./api-key-format";
import type { AuthDeps } from "./deps";
import { getUser } from "./get-user";
import { normalizeKeyName } from "./input-rules";
import { apiKeyColumns, type ApiKeyRow } from "./rows";

/** Ids are ~71 random bits, so a collision is a freak event; retrying a few times ends it. */
const MAX_ATTEMPTS = 3;

/**
 * Creates an API key for a user (read-only if asked). The full key is in the result only;
 * the database keeps its digest. A user holding `deps.maxApiKeysPerUser` keys already is
 * refused (`resource_exhausted`): the count and the insert run in one transaction under a
 * lock on the user's row, so concurrent creates wait for each other and never overshoot.
 */
export async function createApiKey(
  deps: AuthDeps,
  userId: string,
  name: string,
  options: { readOnly?: boolean } = {},
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const keyName = normalizeKeyName(name);
  await getUser(deps, userId); // not_found (also for a malformed id) rather than a foreign-key failure
  const limit = deps.maxApiKeysPerUser;
  return deps.db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!owner) throw new VectronError("not_found", "user not found");
    // A new statement after the lock: under READ COMMITTED it sees the keys of every create that held it before.
    const [held] = await tx.select({ n: count() }).from(apiKeys).where(eq(apiKeys.userId, userId));
    if (held!.n >= limit) {
      throw new VectronError("resource_exhausted", `at most ${limit} API keys per user; delete one first`);
    }
    for (let attempt = 1; ; attempt++) {
      const { key, id, digest, prefix } = generateApiKey();
      const [apiKey] = await tx
        .insert(apiKeys)
        .values({ id, userId, name: keyName, prefix, digest, readOnly: options.readOnly ?? false })
        .onConflictDoNothing({ target: apiKeys.id })
        .returning(apiKeyColumns);
      if (apiKey) return { key, apiKey };
      if (attempt >= MAX_ATTEMPTS) throw new Error(`api key id collided ${MAX_ATTEMPTS} times in a row`);
    }
  });
}
