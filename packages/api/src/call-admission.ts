import type { HandlerContext } from "@connectrpc/connect";
import { RateLimiter, rateLimited, type PlanName, type Plans } from "@vectron/quotas";
import { VectronError } from "@vectron/rpc-errors";

/** Who is calling, as authentication resolved the credentials (auth's Principal has this shape). */
export interface Caller {
  userId: string;
  via: "session" | "api-key";
  /** The API key's id; absent for a session. */
  keyId?: string;
  /** A read-only API key: it may read and search, never write. */
  readOnly: boolean;
  plan: PlanName;
}

/** Resolves the `Authorization` header to the caller; throws `unauthenticated`. */
export type Authenticate = (authorization: string | null) => Promise<Caller>;

/**
 * Lets a data call in, or refuses it: credentials first (`unauthenticated`), then the
 * rate of the caller's plan, per user: all of a user's API keys and sessions share one
 * bucket, so creating more keys does not buy more rate (`resource_exhausted` with a retry
 * hint), then, for writes, a key that may write (`permission_denied`). The buckets live
 * in this process: see RateLimiter.
 */
export class CallAdmission {
  constructor(
    private readonly authenticate: Authenticate,
    private readonly plans: Plans,
    private readonly limiter = new RateLimiter(),
  ) {}

  /** A call that only reads: any valid credential within its rate. */
  async reader(ctx: HandlerContext): Promise<Caller> {
    const caller = await this.authenticate(ctx.requestHeader.get("authorization"));
    const limits = this.plans[caller.plan];
    const taken = this.limiter.admit(caller.userId, limits);
    if (!taken.admitted) throw rateLimited(caller.plan, limits, taken.retryAfterMs);
    return caller;
  }

  /** A call that changes data: also needs a key that is not read-only. */
  async writer(ctx: HandlerContext): Promise<Caller> {
    const caller = await this.reader(ctx);
    if (caller.readOnly) {
      throw new VectronError(
        "permission_denied",
        `this API key is read-only: ${ctx.method.name} changes data and needs a key created without read_only (or a session)`,
      );
    }
    return caller;
  }
}
