import type { Db } from "@vectron/db";
import type { ApiKeyCache } from "./api-key-cache";
import type { CredentialThrottle } from "./credential-throttle";
import type { PasswordHasher } from "./password-hasher";
import type { SessionConfig } from "./session-token";
import type { UserPlanCache } from "./user-plan-cache";

/** What every auth use case is given; built once by createAuth. */
export interface AuthDeps {
  db: Db;
  /** The clock for tokens, the key cache, throttling and last_used_at; injectable for tests. */
  now: () => Date;
  session: SessionConfig;
  /** API keys a user may hold at once. */
  maxApiKeysPerUser: number;
  /** bcrypt, a bounded number at once. */
  passwords: PasswordHasher;
  /** Failed logins and registrations per email and client network. */
  throttle: CredentialThrottle;
  keyCache: ApiKeyCache;
  /** Plans of session users, re-read every few seconds. */
  planCache: UserPlanCache;
}

/** Who is calling, as far as the transport knows. */
export interface ClientInfo {
  /** The client's IP address, as the server saw it; undefined when unknown (no per-network throttling then). */
  address?: string;
}
