import { asc, eq } from "drizzle-orm";
import { apiKeys } from "@vectron/db";
import type { AuthDeps } from "./deps";
import { isUuid } from "./input-rules";
import { apiKeyColumns, type ApiKeyRow } from "./rows";

/** A user's API keys, oldest first, without digests (an index lookup on api_keys_user_id_idx). */
export async function listApiKeys(deps: AuthDeps, userId: string): Promise<ApiKeyRow[]> {
  if (!isUuid(userId)) return [];
  return deps.db
    .select(apiKeyColumns)
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
}
