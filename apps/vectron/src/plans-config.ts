import { defaultPlans, planNames, type PlanLimits, type PlanName, type Plans } from "@vectron/quotas";
import { toInt } from "./integer-setting";

/**
 * Each plan's limits from VECTRON_PLAN_<PLAN>_<LIMIT> (e.g. VECTRON_PLAN_FREE_MAX_POINTS),
 * or the default. Every API node enforces the limits it was started with, so the nodes
 * of a cluster should share them. The README's "Plans and quotas" lists the same names.
 */
export const planSettings: Record<keyof PlanLimits, { suffix: string; max: number }> = {
  maxCollections: { suffix: "MAX_COLLECTIONS", max: 1_000_000 },
  maxPoints: { suffix: "MAX_POINTS", max: Number.MAX_SAFE_INTEGER },
  requestsPerSecond: { suffix: "REQUESTS_PER_SECOND", max: 1_000_000 },
  burst: { suffix: "BURST", max: 10_000_000 },
};

/** The environment variable of one plan's limit. */
export function planVariable(plan: PlanName, limit: keyof PlanLimits): string {
  return `VECTRON_PLAN_${plan.toUpperCase()}_${planSettings[limit].suffix}`;
}

export function readPlans(env: Record<string, string | undefined>): Plans {
  const plans = {} as Record<PlanName, PlanLimits>;
  for (const plan of planNames) {
    const limits = { ...defaultPlans[plan] };
    for (const limit of Object.keys(planSettings) as (keyof PlanLimits)[]) {
      const name = planVariable(plan, limit);
      const text = env[name];
      if (text !== undefined && text !== "") limits[limit] = toInt(name, text, 1, planSettings[limit].max);
    }
    plans[plan] = limits;
  }
  return plans;
}
