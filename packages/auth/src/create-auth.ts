import type { Db } from "@vectron/db";
import { createApiKeyCache } from "./api-key-cache";
import { authenticate, type AcceptedCredentials, type Principal } from "./authenticate";
import { createApiKey } from "./create-api-key";
import { createCredentialThrottle, type ThrottleOptions } from "./credential-throttle";
import { deleteApiKey } from "./delete-api-key";
import type { AuthDeps, ClientInfo } from "./deps";
import { getUser } from "./get-user";
import { listApiKeys } from "./list-api-keys";
import { login, type Session } from "./login";
import { createPasswordHasher, type BcryptFunctions } from "./password-hasher";
import { register } from "./register";
import type { ApiKeyRow, UserRow } from "./rows";
import { refreshSession } from "./refresh-session";
import { sessionKeyFromSecret, sessionKeySource, MIN_SESSION_SECRET_BYTES, type SessionKey } from "./session-keys";
import { DEFAULT_MAX_SESSION_AGE_SECONDS, MAX_SESSION_TTL_SECONDS, verifySessionToken } from "./session-token";
import { verifyApiKey } from "./verify-api-key";
import type { KeyGrant } from "./key-grant";
import { createUserPlanCache } from "./user-plan-cache";

export interface AuthOptions {
  db: Db;
  /**
   * The HMAC keys for session JWTs (HS256), newest first: the first signs new tokens,
   * every one verifies the tokens carrying its kid. A function is called on every sign
   * and verify, so keys can change while running (a rotation); it should return the same
   * array until they do. Give this or `jwtSecret`.
   */
  jwtKeys?: readonly SessionKey[] | (() => readonly SessionKey[]);
  /** A single HMAC key (at least 32 bytes) whose kid is derived from its hash. Give this or `jwtKeys`. */
  jwtSecret?: Uint8Array;
  /** JWT `iss`; default "vectron". */
  issuer?: string;
  /** JWT `aud`; default "vectron". */
  audience?: string;
  /** Session lifetime, at most MAX_SESSION_TTL_SECONDS (3600); default 3600. */
  sessionTtlSeconds?: number;
  /**
   * The absolute session lifetime: RefreshToken refuses a session whose Login is longer
   * ago than this. At least sessionTtlSeconds; default 86400 (24 hours).
   */
  maxSessionAgeSeconds?: number;
  /** API keys a user may hold at once; CreateAPIKey beyond is `resource_exhausted`. Default 100. */
  maxApiKeysPerUser?: number;
  /** bcrypt cost for new passwords, 10 to 31; default 12. */
  bcryptCost?: number;
  /** bcrypt hashes and checks running at once (default: CPUs) and waiting (default: 16 per running). */
  passwordChecks?: { maxConcurrent?: number; maxQueued?: number };
  /** The bcrypt functions; default @node-rs/bcrypt. For instrumentation: wrap, never replace. */
  bcrypt?: BcryptFunctions;
  /** Failed-login lockout and registration limits; see ThrottleOptions for the defaults. */
  throttle?: ThrottleOptions;
  /** How long a verified API key is trusted without a query; default 5000, 0 disables. */
  apiKeyCacheTtlMs?: number;
  /** The clock; default `() => new Date()`. */
  now?: () => Date;
}

/** Accounts, sessions and API keys. Errors are VectronErrors with stable codes. */
export interface Auth {
  /**
   * Email validated and lowercased; password 8 to 72 bytes. A taken email gets the same
   * kind of answer as a new one (a user with a fresh id) and changes nothing.
   * `resource_exhausted` when the client's network registered too often.
   */
  register(email: string, password: string, client?: ClientInfo): Promise<UserRow>;
  /**
   * A session JWT; a wrong email and a wrong password are the same `unauthenticated`.
   * `resource_exhausted` while the email or the client's network is locked after failures.
   */
  login(email: string, password: string, client?: ClientInfo): Promise<Session>;
  /** `unauthenticated` unless the JWT is ours, unexpired and for our audience. */
  verifySession(token: string): Promise<{ userId: string }>;
  getUser(userId: string): Promise<UserRow>;
  /** `key` is the full secret, to be shown once. `resource_exhausted` when the user has maxApiKeysPerUser keys already. */
  createApiKey(userId: string, name: string, options?: { readOnly?: boolean }): Promise<{ key: string; apiKey: ApiKeyRow }>;
  listApiKeys(userId: string): Promise<ApiKeyRow[]>;
  /** `not_found` if the key is not the user's. */
  deleteApiKey(userId: string, keyId: string): Promise<void>;
  verifyApiKey(key: string): Promise<KeyGrant>;
  /**
   * A new session token, full lifetime from now, for the holder of a valid one ("Bearer <jwt>"),
   * keeping its Login time; `unauthenticated` once that Login is more than maxSessionAgeSeconds ago.
   */
  refreshSession(authorization: string | null): Promise<{ token: string; expiresAt: Date }>;
  /** Resolves an `Authorization` header value: "Bearer <api key>" or "Bearer <session jwt>". */
  authenticate(authorization: string | null, accept: AcceptedCredentials): Promise<Principal>;
}

const MIN_BCRYPT_COST = 10;
const MAX_BCRYPT_COST = 31;

/** Builds the auth use cases over one database. Throws at once on bad configuration. */
export function createAuth(options: AuthOptions): Auth {
  const deps = depsFrom(options);
  return {
    register: (email, password, client) => register(deps, email, password, client),
    login: (email, password, client) => login(deps, email, password, client),
    verifySession: (token) => verifySessionToken(deps.session, token, deps.now()),
    getUser: (userId) => getUser(deps, userId),
    createApiKey: (userId, name, keyOptions) => createApiKey(deps, userId, name, keyOptions),
    listApiKeys: (userId) => listApiKeys(deps, userId),
    deleteApiKey: (userId, keyId) => deleteApiKey(deps, userId, keyId),
    verifyApiKey: (key) => verifyApiKey(deps, key),
    refreshSession: (authorization) => refreshSession(deps, authorization),
    authenticate: (authorization, accept) => authenticate(deps, authorization, accept),
  };
}

function depsFrom(options: AuthOptions): AuthDeps {
  const {
    bcryptCost = 12,
    sessionTtlSeconds = MAX_SESSION_TTL_SECONDS,
    maxSessionAgeSeconds = DEFAULT_MAX_SESSION_AGE_SECONDS,
    maxApiKeysPerUser = 100,
    apiKeyCacheTtlMs = 5000,
  } = options;
  if (!options.db) throw new TypeError("createAuth: pass db, from createDb() in @vectron/db");
  if (!Number.isInteger(bcryptCost) || bcryptCost < MIN_BCRYPT_COST || bcryptCost > MAX_BCRYPT_COST) {
    throw new RangeError(`createAuth: bcryptCost must be an integer from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}, got ${bcryptCost}`);
  }
  if (!Number.isInteger(sessionTtlSeconds) || sessionTtlSeconds <= 0 || sessionTtlSeconds > MAX_SESSION_TTL_SECONDS) {
    throw new RangeError(
      `createAuth: sessionTtlSeconds must be an integer from 1 to ${MAX_SESSION_TTL_SECONDS} (clients renew with RefreshToken), got ${sessionTtlSeconds}`,
    );
  }
  if (!Number.isInteger(maxSessionAgeSeconds) || maxSessionAgeSeconds < sessionTtlSeconds) {
    throw new RangeError(
      `createAuth: maxSessionAgeSeconds must be an integer of at least sessionTtlSeconds (${sessionTtlSeconds}), got ${maxSessionAgeSeconds}`,
    );
  }
  if (!Number.isInteger(maxApiKeysPerUser) || maxApiKeysPerUser < 1) {
    throw new RangeError(`createAuth: maxApiKeysPerUser must be a positive integer, got ${maxApiKeysPerUser}`);
  }
  if (!Number.isFinite(apiKeyCacheTtlMs) || apiKeyCacheTtlMs < 0) {
    throw new RangeError(`createAuth: apiKeyCacheTtlMs must be 0 or more, got ${apiKeyCacheTtlMs}`);
  }
  return {
    db: options.db,
    now: options.now ?? (() => new Date()),
    session: {
      keys: sessionKeySource(sessionKeysOf(options)),
      issuer: options.issuer ?? "vectron",
      audience: options.audience ?? "vectron",
      ttlSeconds: sessionTtlSeconds,
      maxAgeSeconds: maxSessionAgeSeconds,
    },
    maxApiKeysPerUser,
    passwords: createPasswordHasher({ cost: bcryptCost, ...options.passwordChecks, bcrypt: options.bcrypt }),
    throttle: createCredentialThrottle(options.throttle),
    // Keys verified in the last 10 minutes keep working while Postgres is unreachable.
    keyCache: createApiKeyCache({ ttlMs: apiKeyCacheTtlMs, staleMs: 10 * 60_000 }),
    planCache: createUserPlanCache(options.db, { ttlMs: apiKeyCacheTtlMs }),
  };
}

function sessionKeysOf(options: AuthOptions): readonly SessionKey[] | (() => readonly SessionKey[]) {
  const { jwtKeys, jwtSecret } = options;
  if ((jwtKeys === undefined) === (jwtSecret === undefined)) {
    throw new TypeError("createAuth: pass exactly one of jwtKeys (a list of { kid, secret }, newest first) and jwtSecret");
  }
  if (jwtKeys !== undefined) return jwtKeys;
  if (!(jwtSecret instanceof Uint8Array) || jwtSecret.length < MIN_SESSION_SECRET_BYTES) {
    throw new TypeError(
      `createAuth: jwtSecret must be a Uint8Array of at least ${MIN_SESSION_SECRET_BYTES} random bytes, e.g. crypto.getRandomValues(new Uint8Array(32))`,
    );
  }
  return [sessionKeyFromSecret(jwtSecret)];
}
