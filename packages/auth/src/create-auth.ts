import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/bcrypt";
import type { Db } from "@vectron/db";
import { createApiKeyCache } from "./api-key-cache";
import { authenticate, type AcceptedCredentials, type Principal } from "./authenticate";
import { createApiKey } from "./create-api-key";
import { deleteApiKey } from "./delete-api-key";
import type { AuthDeps } from "./deps";
import { getUser } from "./get-user";
import { listApiKeys } from "./list-api-keys";
import { login, type Session } from "./login";
import { register } from "./register";
import type { ApiKeyRow, UserRow } from "./rows";
import { refreshSession } from "./refresh-session";
import { verifySessionToken } from "./session-token";
import { verifyApiKey } from "./verify-api-key";
import type { KeyGrant } from "./key-grant";
import { createUserPlanCache } from "./user-plan-cache";

export interface AuthOptions {
  db: Db;
  /** HMAC key for session JWTs (HS256); at least 32 bytes. */
  jwtSecret: Uint8Array;
  /** JWT `iss`; default "vectron". */
  issuer?: string;
  /** JWT `aud`; default "vectron". */
  audience?: string;
  /** Session lifetime; default 3600. */
  sessionTtlSeconds?: number;
  /** bcrypt cost for new passwords, 10 to 31; default 12. */
  bcryptCost?: number;
  /** How long a verified API key is trusted without a query; default 5000, 0 disables. */
  apiKeyCacheTtlMs?: number;
  /** The clock; default `() => new Date()`. */
  now?: () => Date;
}

/** Accounts, sessions and API keys. Errors are VectronErrors with stable codes. */
export interface Auth {
  /** Email validated and lowercased; password 8 to 72 bytes. `already_exists` on a taken email. */
  register(email: string, password: string): Promise<UserRow>;
  /** A session JWT; a wrong email and a wrong password are the same `unauthenticated`. */
  login(email: string, password: string): Promise<Session>;
  /** `unauthenticated` unless the JWT is ours, unexpired and for our audience. */
  verifySession(token: string): Promise<{ userId: string }>;
  getUser(userId: string): Promise<UserRow>;
  /** `key` is the full secret, to be shown once. */
  createApiKey(userId: string, name: string, options?: { readOnly?: boolean }): Promise<{ key: string; apiKey: ApiKeyRow }>;
  listApiKeys(userId: string): Promise<ApiKeyRow[]>;
  /** `not_found` if the key is not the user's. */
  deleteApiKey(userId: string, keyId: string): Promise<void>;
  verifyApiKey(key: string): Promise<KeyGrant>;
  /** A new session token, full lifetime from now, for the holder of a valid one ("Bearer <jwt>"). */
  refreshSession(authorization: string | null): Promise<{ token: string; expiresAt: Date }>;
  /** Resolves an `Authorization` header value: "Bearer <api key>" or "Bearer <session jwt>". */
  authenticate(authorization: string | null, accept: AcceptedCredentials): Promise<Principal>;
}

const MIN_SECRET_BYTES = 32;
const MIN_BCRYPT_COST = 10;
const MAX_BCRYPT_COST = 31;

/** Builds the auth use cases over one database. Throws at once on bad configuration. */
export function createAuth(options: AuthOptions): Auth {
  const deps = depsFrom(options);
  return {
    register: (email, password) => register(deps, email, password),
    login: (email, password) => login(deps, email, password),
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
  const { jwtSecret, bcryptCost = 12, sessionTtlSeconds = 3600, apiKeyCacheTtlMs = 5000 } = options;
  if (!options.db) throw new TypeError("createAuth: pass db, from createDb() in @vectron/db");
  if (!(jwtSecret instanceof Uint8Array) || jwtSecret.length < MIN_SECRET_BYTES) {
    throw new TypeError(
      `createAuth: jwtSecret must be a Uint8Array of at least ${MIN_SECRET_BYTES} random bytes, e.g. crypto.getRandomValues(new Uint8Array(32))`,
    );
  }
  if (!Number.isInteger(bcryptCost) || bcryptCost < MIN_BCRYPT_COST || bcryptCost > MAX_BCRYPT_COST) {
    throw new RangeError(`createAuth: bcryptCost must be an integer from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}, got ${bcryptCost}`);
  }
  if (!Number.isInteger(sessionTtlSeconds) || sessionTtlSeconds <= 0) {
    throw new RangeError(`createAuth: sessionTtlSeconds must be a positive integer, got ${sessionTtlSeconds}`);
  }
  if (!Number.isFinite(apiKeyCacheTtlMs) || apiKeyCacheTtlMs < 0) {
    throw new RangeError(`createAuth: apiKeyCacheTtlMs must be 0 or more, got ${apiKeyCacheTtlMs}`);
  }
  let dummyHash: Promise<string> | undefined;
  return {
    db: options.db,
    now: options.now ?? (() => new Date()),
    session: {
      secret: jwtSecret,
      issuer: options.issuer ?? "vectron",
      audience: options.audience ?? "vectron",
      ttlSeconds: sessionTtlSeconds,
    },
    bcryptCost,
    // Keys verified in the last 10 minutes keep working while Postgres is unreachable.
    keyCache: createApiKeyCache({ ttlMs: apiKeyCacheTtlMs, staleMs: 10 * 60_000 }),
    planCache: createUserPlanCache(options.db, { ttlMs: apiKeyCacheTtlMs }),
    dummyPasswordHash: () => (dummyHash ??= hash(randomBytes(16).toString("hex"), { cost: bcryptCost })),
  };
}
