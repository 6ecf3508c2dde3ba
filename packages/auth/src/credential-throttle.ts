import { VectronError } from "@vectron/rpc-errors";
import { createAttemptLimiter } from "./attempt-limiter";

/**
 * Limits on password guessing and mass registration. Counted in memory by each auth
 * process separately: a cluster with n auth nodes allows up to n times these numbers.
 */
export interface ThrottleOptions {
  /** Failed logins for one email within the failure window that lock the email; default 5. */
  failuresPerAccount?: number;
  /** Failed logins from one client network (IPv4 address, IPv6 /64) within the failure window that lock it; default 20. */
  failuresPerNetwork?: number;
  /** Default 900 (15 minutes). */
  failureWindowSeconds?: number;
  /** How long a locked email or network is refused; default 900 (15 minutes). */
  lockoutSeconds?: number;
  /** Registrations from one client network within the registration window; default 20. */
  registrationsPerNetwork?: number;
  /** Default 3600; a network that used its allowance is refused for this long. */
  registrationWindowSeconds?: number;
  /** Emails or networks tracked per counter, oldest forgotten first; default 100000. */
  maxTrackedKeys?: number;
}

/** The checks login and registration make; `network` is undefined when it is not counted. */
export interface CredentialThrottle {
  /**
   * Admits a login attempt, to be ended by calling the function returned once its
   * outcome is recorded. `resource_exhausted` if the email or the network is locked
   * (saying when to retry), or if its recent failures plus the attempts still in
   * progress reach its limit: guesses sent in parallel cannot outrun the count.
   */
  admitLogin(email: string, network: string | undefined, nowMs: number): () => void;
  loginFailed(email: string, network: string | undefined, nowMs: number): void;
  /** Clears the email's failures (not the network's: one good account must not unlock guessing at others). */
  loginSucceeded(email: string): void;
  /** Counts a registration; `resource_exhausted` once the network has used its allowance. */
  admitRegistration(network: string | undefined, nowMs: number): void;
}

export function createCredentialThrottle(options: ThrottleOptions = {}): CredentialThrottle {
  const settings = {
    failuresPerAccount: options.failuresPerAccount ?? 5,
    failuresPerNetwork: options.failuresPerNetwork ?? 20,
    failureWindowSeconds: options.failureWindowSeconds ?? 900,
    lockoutSeconds: options.lockoutSeconds ?? 900,
    registrationsPerNetwork: options.registrationsPerNetwork ?? 20,
    registrationWindowSeconds: options.registrationWindowSeconds ?? 3600,
    maxTrackedKeys: options.maxTrackedKeys ?? 100_000,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`createAuth: throttle.${name} must be a positive integer, got ${value}`);
  }
  const { failuresPerAccount, failuresPerNetwork, failureWindowSeconds, lockoutSeconds, registrationsPerNetwork, registrationWindowSeconds, maxTrackedKeys } =
    settings;
  const limiter = (limit: number, windowSeconds: number, lockSeconds: number) =>
    createAttemptLimiter({ limit, windowMs: windowSeconds * 1000, lockMs: lockSeconds * 1000, maxKeys: maxTrackedKeys });
  const accounts = limiter(failuresPerAccount, failureWindowSeconds, lockoutSeconds);
  const loginNetworks = limiter(failuresPerNetwork, failureWindowSeconds, lockoutSeconds);
  const registrationNetworks = limiter(registrationsPerNetwork, registrationWindowSeconds, registrationWindowSeconds);
  // Login attempts admitted and not yet ended, per email and per network; an entry goes at 0.
  const inProgress = new Map<string, number>();
  const busy = (key: string) => inProgress.get(key) ?? 0;
  const adjust = (key: string, by: number) => {
    const count = busy(key) + by;
    if (count > 0) inProgress.set(key, count);
    else inProgress.delete(key);
  };

  return {
    admitLogin(email, network, nowMs) {
      // The same answers whether or not the email has an account, and whichever limit applies.
      const until = Math.max(accounts.lockedUntil(email, nowMs) ?? 0, network === undefined ? 0 : (loginNetworks.lockedUntil(network, nowMs) ?? 0));
      if (until > nowMs) throw retryLater("too many failed logins", until, nowMs);
      const emailKey = `email ${email}`;
      const networkKey = network === undefined ? undefined : `network ${network}`;
      const full =
        accounts.countOf(email, nowMs) + busy(emailKey) >= failuresPerAccount ||
        (network !== undefined && loginNetworks.countOf(network, nowMs) + busy(networkKey!) >= failuresPerNetwork);
      if (full) throw new VectronError("resource_exhausted", "too many login attempts in progress; retry shortly");
      adjust(emailKey, 1);
      if (networkKey) adjust(networkKey, 1);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        adjust(emailKey, -1);
        if (networkKey) adjust(networkKey, -1);
      };
    },
    loginFailed(email, network, nowMs) {
      accounts.record(email, nowMs);
      if (network !== undefined) loginNetworks.record(network, nowMs);
    },
    loginSucceeded(email) {
      accounts.reset(email);
    },
    admitRegistration(network, nowMs) {
      if (network === undefined) return;
      const until = registrationNetworks.lockedUntil(network, nowMs);
      if (until !== undefined) throw retryLater("too many registrations from this address", until, nowMs);
      registrationNetworks.record(network, nowMs);
    },
  };
}

function retryLater(what: string, untilMs: number, nowMs: number): VectronError {
  const seconds = Math.ceil((untilMs - nowMs) / 1000);
  return new VectronError("resource_exhausted", `${what}; retry after ${new Date(untilMs).toISOString()} (in ${seconds} s)`);
}
