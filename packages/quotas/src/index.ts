export { defaultPlans, planNames, type PlanLimits, type PlanName, type Plans } from "./plan-limits";
export { TokenBucket, type TakeResult } from "./token-bucket";
export { RateLimiter, type RateLimiterOptions } from "./rate-limiter";
export { collectionQuotaExceeded, pointQuotaExceeded, rateLimited } from "./quota-errors";
