import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/bcrypt";
import { VectronError } from "@vectron/rpc-errors";
import { createConcurrencyLimit, type ConcurrencyLimit } from "./concurrency-limit";

/** The bcrypt calls the hasher makes; the default is @node-rs/bcrypt, which runs them on a worker thread pool. */
export interface BcryptFunctions {
  hash(password: string, cost: number): Promise<string>;
  verify(password: string, passwordHash: string): Promise<boolean>;
}

export const nodeRsBcrypt: BcryptFunctions = {
  hash: (password, cost) => hash(password, { cost }),
  verify: (password, passwordHash) => verify(password, passwordHash),
};

/**
 * bcrypt hashes and checks, at most `maxConcurrent` at once. Each takes a core for a
 * quarter second at cost 12, so without a bound a flood of logins would occupy every
 * core (and the thread pool other native work shares) and make every other request
 * wait; beyond the bounded queue a call is refused with `resource_exhausted`.
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, passwordHash: string): Promise<boolean>;
  /**
   * Verifies against the hash of a random password, for an email with no account: the
   * same work as a wrong password, so the time taken does not tell the two apart.
   */
  verifyWithoutAccount(password: string): Promise<false>;
}

export interface PasswordHasherOptions {
  cost: number;
  /** Default: the number of CPUs. */
  maxConcurrent?: number;
  /** Default: 16 per concurrent slot. */
  maxQueued?: number;
  bcrypt?: BcryptFunctions;
}

export const TOO_MANY_PASSWORD_CHECKS = "too many password checks in progress, retry shortly";

export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const { cost, bcrypt = nodeRsBcrypt } = options;
  const maxConcurrent = options.maxConcurrent ?? availableParallelism();
  const maxQueued = options.maxQueued ?? 16 * maxConcurrent;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`createAuth: passwordChecks.maxConcurrent must be an integer of at least 1, got ${maxConcurrent}`);
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0) {
    throw new RangeError(`createAuth: passwordChecks.maxQueued must be an integer of at least 0, got ${maxQueued}`);
  }
  const limit: ConcurrencyLimit = createConcurrencyLimit({
    maxConcurrent,
    maxQueued,
    rejection: () => new VectronError("resource_exhausted", TOO_MANY_PASSWORD_CHECKS),
  });
  // Made on first use (not at construction, which must stay cheap), then reused.
  let dummyHash: Promise<string> | undefined;
  const hashOf = (password: string) => limit.run(() => bcrypt.hash(password, cost));
  return {
    hash: hashOf,
    verify: (password, passwordHash) => limit.run(() => bcrypt.verify(password, passwordHash)),
    async verifyWithoutAccount(password) {
      dummyHash ??= hashOf(randomBytes(16).toString("hex")).catch((err: unknown) => {
        dummyHash = undefined; // refused or failed: the next call tries again
        throw err;
      });
      const passwordHash = await dummyHash; // outside the slot: making it takes a slot of its own
      await limit.run(() => bcrypt.verify(password, passwordHash));
      return false;
    },
  };
}
