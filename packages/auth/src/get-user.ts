import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import type { AuthDeps } from "./deps";
import { isUuid } from "./input-rules";
import { userColumns, type UserRow } from "./rows";

/** A user by id (a primary-key lookup); `not_found` when there is none. */
export async function getUser(deps: AuthDeps, userId: string): Promise<UserRow> {
  const [user] = isUuid(userId)
    ? await deps.db.select(userColumns).from(users).where(eq(users.id, userId)).limit(1)
    : [];
  if (!user) throw new VectronError("not_found", "user not found");
  return user;
}
