/** The plans a user can be on (users.plan). */
export type PlanName = "free" | "paid";

export const planNames: readonly PlanName[] = ["free", "paid"];

/** What one plan allows each user (the rate too: all of a user's keys and sessions share it). */
export interface PlanLimits {
  /** Most collections a user may have. */
  maxCollections: number;
  /** Most points a user may store, over all their collections. */
  maxPoints: number;
  /** Sustained data calls per second, per user: all of the user's API keys and sessions share one bucket. */
  requestsPerSecond: number;
  /** Data calls a user may make at once after being idle: the token bucket's size. */
  burst: number;
}

/** The limits of every plan; configured per node (VECTRON_PLAN_*, see the README, "Plans and quotas"). */
export type Plans = Readonly<Record<PlanName, PlanLimits>>;

export const defaultPlans: Plans = {
  free: { maxCollections: 10, maxPoints: 1_000_000, requestsPerSecond: 100, burst: 200 },
  paid: { maxCollections: 1_000, maxPoints: 100_000_000, requestsPerSecond: 2_000, burst: 4_000 },
};
