import type { Db } from "@vectron/db";
import type { ApiKeyCache } from "./api-key-cache";
import type { SessionConfig } from "./session-token";
import type { UserPlanCache } from "./user-plan-cache";

/** What every auth use case is given; built once by createAuth. */
export interface AuthDeps {
  db: Db;
  /** The clock for tokens, the key cache and last_used_at; injectable for tests. */
  now: () => Date;
  session: SessionConfig;
  bcryptCost: number;
  keyCache: ApiKeyCache;
  /** Plans of session users, re-read every few seconds. */
  planCache: UserPlanCache;
  /**
   * A bcrypt hash of a random password at `bcryptCost`, verified against when the email
   * is unknown so that login takes as long as with a wrong password.
   */
  dummyPasswordHash: () => Promise<string>;
}
