import { expect, test } from "bun:test";
import { defaultPlans } from "@vectron/quotas";
import { readServeConfig, serveUsage, type ServeConfig } from "./config";
import { planSettings, planVariable } from "./plans-config";

const read = (env: Record<string, string>) => (readServeConfig([], env) as ServeConfig).plans;

test("each plan's limits come from VECTRON_PLAN_<PLAN>_<LIMIT>, the others keep their defaults", () => {
  expect(read({})).toEqual(defaultPlans);
  const plans = read({ VECTRON_PLAN_FREE_MAX_COLLECTIONS: "3", VECTRON_PLAN_PAID_BURST: "50", VECTRON_PLAN_FREE_MAX_POINTS: "" });
  expect(plans.free).toEqual({ ...defaultPlans.free, maxCollections: 3 });
  expect(plans.paid).toEqual({ ...defaultPlans.paid, burst: 50 });
});

test("a limit that is not a positive integer within its ceiling is refused, naming the variable", () => {
  for (const plan of ["free", "paid"] as const) {
    for (const [limit, { max }] of Object.entries(planSettings) as [keyof typeof planSettings, { max: number }][]) {
      const name = planVariable(plan, limit);
      expect(serveUsage).toContain(name.replace(/^VECTRON_PLAN_PAID_/, "VECTRON_PLAN_FREE_"));
      for (const bad of ["0", "-5", "1.5", "lots", String(max + 1)]) {
        expect(() => read({ [name]: bad })).toThrow(new RegExp(name));
      }
    }
  }
});
