import { errors, jwtVerify, SignJWT, type JWTVerifyGetKey } from "jose";
import { VectronError } from "@vectron/rpc-errors";
import { isUuid } from "./input-rules";
import type { SessionKeyRing } from "./session-keys";

/** How session JWTs are signed and checked. */
export interface SessionConfig {
  /** The keys as of now: the newest signs, each verifies the tokens carrying its kid. */
  keys: () => SessionKeyRing;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /**
   * The absolute session lifetime: RefreshToken refuses a token whose `auth_time` (its
   * Login) is longer ago than this, so a stolen token cannot be renewed forever.
   */
  maxAgeSeconds: number;
}

/**
 * The longest session lifetime createAuth accepts: a stolen token is good for an hour at
 * most, and clients renew with RefreshToken.
 */
export const MAX_SESSION_TTL_SECONDS = 3600;

/** The default absolute session lifetime: RefreshToken stops a day after Login. */
export const DEFAULT_MAX_SESSION_AGE_SECONDS = 86_400;

/** The only algorithm issued or accepted: a token with any other `alg` is refused before any key is chosen. */
const ALGORITHM = "HS256";

/** What a valid session JWT says: its user and when that user logged in with a password. */
export interface SessionClaims {
  userId: string;
  /** The `auth_time` claim: the Login this session descends from; absent from tokens issued before it existed. */
  authTime: Date | undefined;
}

/**
 * A signed session JWT for `userId`, valid from `now` for `ttlSeconds`, with the signing
 * key's kid in its header. `authTime` (the `auth_time` claim, whole seconds) is when the
 * user logged in: `now` at Login, the old token's value at RefreshToken.
 */
export async function issueSessionToken(
  config: SessionConfig,
  userId: string,
  now: Date,
  authTime: Date = now,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + config.ttlSeconds;
  const { signing } = config.keys();
  const token = await new SignJWT({ auth_time: Math.floor(authTime.getTime() / 1000) })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT", kid: signing.kid })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(signing.secret);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * The user a session JWT was issued to. The algorithm is pinned (no `none`, no other
 * HMAC or public-key algorithm); the key is the ring's key of the token's `kid` (a token
 * without a kid, or with one the ring no longer holds, is refused); signature, `iss`,
 * `aud` and `exp` are checked against `now`. Any failure is `unauthenticated`.
 */
export async function verifySessionToken(config: SessionConfig, token: string, now: Date): Promise<{ userId: string }> {
  const { userId } = await readSessionClaims(config, token, now);
  return { userId };
}

/**
 * The claims of a session JWT, verified as verifySessionToken does. `authTime` is
 * undefined when the token has no `auth_time`, or one that is not a whole number of
 * seconds no later than its `iat`.
 */
export async function readSessionClaims(config: SessionConfig, token: string, now: Date): Promise<SessionClaims> {
  const { byKid } = config.keys();
  const keyOfKid: JWTVerifyGetKey = (header) => {
    const key = header.kid === undefined ? undefined : byKid.get(header.kid);
    if (!key) throw new errors.JWKSNoMatchingKey("no session key with this kid");
    return key.secret;
  };
  let subject: string | undefined;
  let authTime: Date | undefined;
  try {
    const { payload } = await jwtVerify(token, keyOfKid, {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      currentDate: now,
      requiredClaims: ["sub", "exp", "iat"],
    });
    subject = payload.sub;
    const { auth_time: seconds, iat } = payload;
    if (typeof seconds === "number" && Number.isSafeInteger(seconds) && iat !== undefined && seconds <= iat) {
      authTime = new Date(seconds * 1000);
    }
  } catch (err) {
    if (!(err instanceof errors.JOSEError)) throw err;
    const message = err instanceof errors.JWTExpired ? "session token expired; log in again" : "invalid session token";
    throw new VectronError("unauthenticated", message, { cause: err });
  }
  if (subject === undefined || !isUuid(subject)) throw new VectronError("unauthenticated", "invalid session token");
  return { userId: subject, authTime };
}
