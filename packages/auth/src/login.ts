import { eq } from "drizzle-orm";
import { users } from "@vectron/db";
import { VectronError } from "@vectron/rpc-errors";
import { clientNetworkOf } from "./client-network";
import type { AuthDeps, ClientInfo } from "./deps";
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

/**
 * Exchanges email and password for a session JWT. A locked email or client network is
 * `resource_exhausted` before any lookup, the same whether the email has an account or
 * not; a failure counts toward both locks, a success clears the email's failures.
 */
export async function login(deps: AuthDeps, email: string, password: string, client: ClientInfo = {}): Promise<Session> {
  const normalized = normalizeEmail(email);
  requireField(password, "password");
  const network = clientNetworkOf(client.address);
  const endAttempt = deps.throttle.admitLogin(normalized, network, deps.now().getTime());
  let row: typeof users.$inferSelect | undefined;
  try {
    [row] = await deps.db.select().from(users).where(eq(users.email, normalized)).limit(1);
    // Registration refuses longer passwords; bcrypt would compare only their first 72 bytes.
    const tooLong = passwordBytes(password) > MAX_PASSWORD_BYTES;
    // An unknown email still costs one bcrypt verify, so timing does not reveal accounts.
    const ok =
      row && !tooLong ? await deps.passwords.verify(password, row.passwordHash) : await deps.passwords.verifyWithoutAccount(password);
    if (!row || !ok) {
      deps.throttle.loginFailed(normalized, network, deps.now().getTime());
      throw new VectronError("unauthenticated", REJECTED);
    }
    deps.throttle.loginSucceeded(normalized);
  } finally {
    endAttempt(); // after the failure is recorded, so the count never dips in between
  }

  const { passwordHash: _, ...user } = row;
  const { token, expiresAt } = await issueSessionToken(deps.session, user.id, deps.now());
  return { token, expiresAt, user };
}
