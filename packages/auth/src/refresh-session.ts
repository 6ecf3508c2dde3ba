import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { authenticate } from "./authenticate";
import type { AuthDeps } from "./deps";
import { issueSessionToken } from "./session-token";

/**
 * Exchanges a valid session token (`Authorization: Bearer <jwt>`) for a new one with a
 * full lifetime, signed by the current signing key, so a client stays logged in without
 * keeping the password while each token lives at most its TTL (≤ 1 hour). An expired or
 * invalid token, an API key, or a token whose account is gone is `unauthenticated`; the
 * account is looked up afresh (not through the plan cache), so a deleted account
 * cannot refresh even for a few seconds.
 */
export async function refreshSession(
  deps: AuthDeps,
  authorization: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const { userId } = await authenticate(deps, authorization, "session");
  const [row] = await deps.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw new VectronError("unauthenticated", "invalid session token");
  return issueSessionToken(deps.session, userId, deps.now());
}
