import { errors, jwtVerify, SignJWT } from "jose";
import { VectronError } from "@vectron/rpc-errors";
import { isUuid } from "./input-rules";

/** How session JWTs are signed and checked. */
export interface SessionConfig {
  /** HMAC key for HS256, at least 32 bytes. */
  secret: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = "HS256";

/** A signed session JWT for `userId`, valid from `now` for `ttlSeconds`. */
export async function issueSessionToken(
  config: SessionConfig,
  userId: string,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + config.ttlSeconds;
  const token = await new SignJWT()
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(userId)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(config.secret);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * The user a session JWT was issued to. The algorithm is pinned (no `none`, no key
 * confusion); signature, `iss`, `aud` and `exp` are checked against `now`. Any failure
 * is `unauthenticated`.
 */
export async function verifySessionToken(config: SessionConfig, token: string, now: Date): Promise<{ userId: string }> {
  let subject: string | undefined;
  try {
    const { payload } = await jwtVerify(token, config.secret, {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      currentDate: now,
      requiredClaims: ["sub", "exp", "iat"],
    });
    subject = payload.sub;
  } catch (err) {
    if (!(err instanceof errors.JOSEError)) throw err;
    const message = err instanceof errors.JWTExpired ? "session token expired; log in again" : "invalid session token";
    throw new VectronError("unauthenticated", message, { cause: err });
  }
  if (subject === undefined || !isUuid(subject)) throw new VectronError("unauthenticated", "invalid session token");
  return { userId: subject };
}
