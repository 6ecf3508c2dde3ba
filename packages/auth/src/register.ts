import { hash } from "@node-rs/bcrypt";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import type { AuthDeps } from "./deps";
import { checkNewPassword, normalizeEmail } from "./input-rules";
import { userColumns, type UserRow } from "./rows";

/** Creates an account; the email is stored lowercased, so it is unique regardless of case. */
export async function register(deps: AuthDeps, email: string, password: string): Promise<UserRow> {
  const normalized = normalizeEmail(email);
  checkNewPassword(password);
  // @node-rs/bcrypt hashes on the libuv thread pool, off the event loop.
  const passwordHash = await hash(password, { cost: deps.bcryptCost });
  const [user] = await deps.db
    .insert(users)
    .values({ email: normalized, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning(userColumns);
  if (!user) throw new VectronError("already_exists", "email: an account with this email already exists");
  return user;
}
