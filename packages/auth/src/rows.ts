import { apiKeys, users } from "@vectron/db";

/*
 * What the auth use cases return: table rows without their secrets. Queries select
 * exactly these columns, so a password hash or key digest never leaves this package.
 */

export const userColumns = {
  id: users.id,
  email: users.email,
  plan: users.plan,
  createdAt: users.createdAt,
};

export const apiKeyColumns = {
  id: apiKeys.id,
  userId: apiKeys.userId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  readOnly: apiKeys.readOnly,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

/** A user account, without its password hash. */
export type UserRow = Omit<typeof users.$inferSelect, "passwordHash">;

/** An API key's metadata, without its digest. */
export type ApiKeyRow = Omit<typeof apiKeys.$inferSelect, "digest">;
