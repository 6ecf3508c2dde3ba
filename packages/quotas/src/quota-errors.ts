import { VectronError } from "@vectron/rpc-errors";
import type { PlanLimits, PlanName } from "./plan-limits";

/**
 * `resource_exhausted` for a caller over its plan's request rate. The wait is in the
 * message (every protocol shows it) and in `retry-after-ms` / `retry-after` (seconds,
 * rounded up) headers or trailers, where the serving path sends error metadata.
 */
export function rateLimited(plan: PlanName, limits: PlanLimits, retryAfterMs: number): VectronError {
  return new VectronError(
    "resource_exhausted",
    `rate limit: the ${plan} plan allows ${limits.requestsPerSecond} requests per second per user (all their API keys and sessions together), in bursts of up to ${limits.burst}; retry after ${retryAfterMs} ms`,
    { metadata: { "retry-after-ms": String(retryAfterMs), "retry-after": String(Math.ceil(retryAfterMs / 1000)) } },
  );
}

/** `resource_exhausted` for a CreateCollection beyond the plan's collections per user. */
export function collectionQuotaExceeded(plan: PlanName, limits: PlanLimits): VectronError {
  return new VectronError(
    "resource_exhausted",
    `collection quota: the ${plan} plan allows ${limits.maxCollections} collections per user; delete one, or move to a larger plan`,
  );
}

/** `resource_exhausted` for an Upsert that would take the user beyond the plan's points. */
export function pointQuotaExceeded(plan: PlanName, limits: PlanLimits, stored: number, adding: number): VectronError {
  return new VectronError(
    "resource_exhausted",
    `point quota: the ${plan} plan allows ${limits.maxPoints} points per user; you have ${stored}, and this upsert would add ${adding} more; delete points, or move to a larger plan`,
  );
}
