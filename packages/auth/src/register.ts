import { randomUUID } from "node:crypto";
import { users } from "@vectron/db";
import { clientNetworkOf } from "./client-network";
import type { AuthDeps, ClientInfo } from "./deps";
import { checkNewPassword, normalizeEmail } from "./input-rules";
import { userColumns, type UserRow } from "./rows";

/**
 * Creates an account; the email is stored lowercased, so it is unique regardless of case.
 *
 * A taken email is answered exactly like a new one, so registration cannot be used to
 * find out which emails have accounts: the same bcrypt hash is made, the same insert
 * is tried (it writes nothing on the conflict), and the answer is a user with a fresh
 * random id, the email, plan free and the time now. The existing account is untouched
 * and the password sent does not log in to it.
 */
export async function register(deps: AuthDeps, email: string, password: string, client: ClientInfo = {}): Promise<UserRow> {
  const normalized = normalizeEmail(email);
  checkNewPassword(password);
  deps.throttle.admitRegistration(clientNetworkOf(client.address), deps.now().getTime());
  const passwordHash = await deps.passwords.hash(password);
  const user: UserRow = { id: randomUUID(), email: normalized, plan: "free", createdAt: deps.now() };
  const [inserted] = await deps.db
    .insert(users)
    .values({ ...user, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning(userColumns);
  return inserted ?? user;
}
