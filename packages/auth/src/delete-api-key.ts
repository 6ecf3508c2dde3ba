import { and, eq } from "drizzle-orm";
import { apiKeys } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { isApiKeyId } from "./api-key-format";
import type { AuthDeps } from "./deps";
import { isUuid, requireField } from "./input-rules";

/**
 * Revokes one of the user's API keys. Another user's key is `not_found`, exactly like a
 * key that does not exist, so ids cannot be probed. The key stops working in this
 * process at once and in others when their cache entry expires (apiKeyCacheTtlMs).
 */
export async function deleteApiKey(deps: AuthDeps, userId: string, keyId: string): Promise<void> {
  requireField(keyId, "id");
  const deleted =
    isApiKeyId(keyId) && isUuid(userId)
      ? await deps.db
          .delete(apiKeys)
          .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
          .returning({ id: apiKeys.id })
      : [];
  deps.keyCache.evict(keyId);
  if (deleted.length === 0) throw new VectronError("not_found", "id: no such API key");
}
