import { VectronError } from "@vectron/rpc-errors";
import { looksLikeApiKey } from "./api-key-format";
import type { AuthDeps } from "./deps";
import type { Plan } from "./key-grant";
import { verifySessionToken } from "./session-token";
import { verifyApiKey } from "./verify-api-key";

/** Which credentials a call accepts: account calls need a session, data calls take either. */
export type AcceptedCredentials = "session" | "session-or-key";

export interface Principal {
  userId: string;
  via: "session" | "api-key";
  /** The API key's id; absent for a session. */
  keyId?: string;
  /** A read-only API key: reads and searches only. A session may do everything. */
  readOnly: boolean;
  /** The user's plan, for quotas and rate limits. */
  plan: Plan;
}

const BEARER = /^Bearer +(\S+) *$/i;

/** The refusal of an API key where only a session will do. */
export const SESSION_NEEDED = "this call needs a session token from Login, not an API key";

/** The token of an `Authorization: Bearer <token>` header; missing or malformed is `unauthenticated`. */
export function bearerToken(authorization: string | null): string {
  if (!authorization) throw new VectronError("unauthenticated", "missing Authorization header");
  const token = BEARER.exec(authorization)?.[1];
  if (!token) throw new VectronError("unauthenticated", "Authorization header must be 'Bearer <token>'");
  return token;
}

/**
 * Resolves an `Authorization` header value, "Bearer <api key>" or "Bearer <session jwt>",
 * to the user it stands for. Missing, malformed or rejected credentials are `unauthenticated`.
 */
export async function authenticate(
  deps: AuthDeps,
  authorization: string | null,
  accept: AcceptedCredentials,
): Promise<Principal> {
  const token = bearerToken(authorization);
  if (looksLikeApiKey(token)) {
    if (accept === "session") throw new VectronError("unauthenticated", SESSION_NEEDED);
    const { userId, keyId, readOnly, plan } = await verifyApiKey(deps, token);
    return { userId, via: "api-key", keyId, readOnly, plan };
  }
  const now = deps.now();
  const { userId } = await verifySessionToken(deps.session, token, now);
  return { userId, via: "session", readOnly: false, plan: await deps.planCache.planOf(userId, now.getTime()) };
}
