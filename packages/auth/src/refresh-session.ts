import { authenticate } from "./authenticate";
import type { AuthDeps } from "./deps";
import { issueSessionToken } from "./session-token";

/**
 * Exchanges a valid session token (`Authorization: Bearer <jwt>`) for a new one with a
 * full lifetime, so a client stays logged in without keeping the password while each
 * token lives at most its TTL. An expired or invalid token, an API key, or a token whose
 * account is gone is `unauthenticated`.
 */
export async function refreshSession(
  deps: AuthDeps,
  authorization: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const { userId } = await authenticate(deps, authorization, "session");
  return issueSessionToken(deps.session, userId, deps.now());
}
