import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { looksLikeApiKey } from "./api-key-format";
import { bearerToken, SESSION_NEEDED } from "./authenticate";
import type { AuthDeps } from "./deps";
import { issueSessionToken, readSessionClaims } from "./session-token";

/**
 * Exchanges a valid session token (`Authorization: Bearer <jwt>`) for a new one with a
 * full lifetime, signed by the current signing key, so a client stays logged in without
 * keeping the password while each token lives at most its TTL (≤ 1 hour). The new token
 * keeps the old one's `auth_time` (its Login), and once that is more than the maximum
 * session age ago (default 24 hours) refreshing stops: a stolen token cannot be renewed
 * forever. An expired or invalid token, one without `auth_time`, an API key, or a token
 * whose account is gone is `unauthenticated`; the account is looked up afresh (not
 * through the plan cache), so a deleted account cannot refresh even for a few seconds.
 */
export async function refreshSession(
  deps: AuthDeps,
  authorization: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = bearerToken(authorization);
  if (looksLikeApiKey(token)) throw new VectronError("unauthenticated", SESSION_NEEDED);
  const now = deps.now();
  const { userId, authTime } = await readSessionClaims(deps.session, token, now);
  const { maxAgeSeconds } = deps.session;
  if (authTime === undefined || now.getTime() - authTime.getTime() > maxAgeSeconds * 1000) {
    throw new VectronError("unauthenticated", `session older than ${formatAge(maxAgeSeconds)}; log in again`);
  }
  const [row] = await deps.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
  if (!row) throw new VectronError("unauthenticated", "invalid session token");
  return issueSessionToken(deps.session, userId, now, authTime);
}

/** "24 h", "90 min" or "45 s": the largest unit that divides the age. */
function formatAge(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
