import type { PlanLimits, Plans } from "@vectron/quotas";

/** Limits no test or benchmark reaches. */
const outOfReach: PlanLimits = { maxCollections: 100_000, maxPoints: 1_000_000_000_000, requestsPerSecond: 1_000_000, burst: 1_000_000 };

/**
 * Plans of test nodes and processes: every limit out of reach, so suites and benchmarks
 * that are not about plans are never refused or slowed by them (a benchmark makes many
 * collections and thousands of calls per second with one key). The tests of the plans
 * start nodes with small limits of their own.
 */
export const testPlans: Plans = { free: outOfReach, paid: outOfReach };

/** testPlans as the environment of a `vectron serve` process. */
export const testPlanEnv: Record<string, string> = Object.fromEntries(
  (["FREE", "PAID"] as const).flatMap((plan) => [
    [`VECTRON_PLAN_${plan}_MAX_COLLECTIONS`, String(outOfReach.maxCollections)],
    [`VECTRON_PLAN_${plan}_MAX_POINTS`, String(outOfReach.maxPoints)],
    [`VECTRON_PLAN_${plan}_REQUESTS_PER_SECOND`, String(outOfReach.requestsPerSecond)],
    [`VECTRON_PLAN_${plan}_BURST`, String(outOfReach.burst)],
  ]),
);
