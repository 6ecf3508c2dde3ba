import { apiKeys } from "@vectron/db";
import { generateApiKey } from "./api-key-format";
import type { AuthDeps } from "./deps";
import { getUser } from "./get-user";
import { normalizeKeyName } from "./input-rules";
import { apiKeyColumns, type ApiKeyRow } from "./rows";

/** Ids are ~71 random bits, so a collision is a freak event; retrying a few times ends it. */
const MAX_ATTEMPTS = 3;

/** Creates an API key for a user (read-only if asked). The full key is in the result only; the database keeps its digest. */
export async function createApiKey(
  deps: AuthDeps,
  userId: string,
  name: string,
  options: { readOnly?: boolean } = {},
): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const keyName = normalizeKeyName(name);
  await getUser(deps, userId); // not_found rather than a foreign-key failure
  for (let attempt = 1; ; attempt++) {
    const { key, id, digest, prefix } = generateApiKey();
    const [apiKey] = await deps.db
      .insert(apiKeys)
      .values({ id, userId, name: keyName, prefix, digest, readOnly: options.readOnly ?? false })
      .onConflictDoNothing({ target: apiKeys.id })
      .returning(apiKeyColumns);
    if (apiKey) return { key, apiKey };
    if (attempt >= MAX_ATTEMPTS) throw new Error(`api key id collided ${MAX_ATTEMPTS} times in a row`);
  }
}
