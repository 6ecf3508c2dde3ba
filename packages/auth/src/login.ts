import { verify } from "@node-rs/bcrypt";
import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import type { AuthDeps } from "./deps";
import { MAX_PASSWORD_BYTES, normalizeEmail, passwordBytes, requireField } from "./input-rules";
import type { UserRow } from "./rows";
import { issueSessionToken } from "./session-token";

export interface Session {
  token: string;
  expiresAt: Date;
  user: UserRow;
}

/** The one answer for an unknown email and a wrong password, so neither is told apart. */
const REJECTED = "invalid email or password";

/** Exchanges email and password for a session JWT. */
export async function login(deps: AuthDeps, email: string, password: string): Promise<Session> {
  const normalized = normalizeEmail(email);
  requireField(password, "password");
  // Registration refuses longer passwords; bcrypt would compare only their first 72 bytes.
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) throw new VectronError("unauthenticated", REJECTED);

  const [row] = await deps.db.select().from(users).where(eq(users.email, normalized)).limit(1);
  // An unknown email still costs one bcrypt verify, so timing does not reveal accounts.
  const ok = await verify(password, row?.passwordHash ?? (await deps.dummyPasswordHash()));
  if (!row || !ok) throw new VectronError("unauthenticated", REJECTED);

  const { passwordHash: _, ...user } = row;
  const { token, expiresAt } = await issueSessionToken(deps.session, user.id, deps.now());
  return { token, expiresAt, user };
}
