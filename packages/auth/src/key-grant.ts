/** The plans a user can be on; limits per plan live with the quotas. */
export type Plan = "free" | "paid";

/** What a verified API key allows: whose data, whether it may write, and under which plan. */
export interface KeyGrant {
  userId: string;
  keyId: string;
  readOnly: boolean;
  plan: Plan;
}

/** The plan stored in users.plan (a check constraint keeps it to these values). */
export function planOf(stored: string): Plan {
  return stored === "paid" ? "paid" : "free";
}
