/**
 * Counts attempts per key (an email, a client network) in a sliding window: once `limit`
 * attempts fall within `windowMs`, the key is locked for `lockMs`, after which it starts
 * again from zero. In memory, per process. At most `maxKeys` keys are tracked: beyond
 * that the key updated longest ago is forgotten, so memory stays bounded whatever
 * stream of keys arrives (an attacker would have to make that many fresh failures to
 * push a lock out, and each of those counts toward the locks of their own network).
 */
export interface AttemptLimiter {
  /** The time (ms) `key` unlocks, if it is locked at `nowMs`. */
  lockedUntil(key: string, nowMs: number): number | undefined;
  /** The attempts of `key` inside the window at `nowMs` (0 while locked: see lockedUntil). */
  countOf(key: string, nowMs: number): number;
  /** Counts one attempt of `key` at `nowMs`; an attempt while locked changes nothing. */
  record(key: string, nowMs: number): void;
  /** Forgets `key`'s attempts (a successful login clears its account's failures). */
  reset(key: string): void;
  /** Keys tracked now. */
  readonly size: number;
}

export interface AttemptLimiterOptions {
  limit: number;
  windowMs: number;
  lockMs: number;
  maxKeys: number;
}

interface Entry {
  /** Times of the attempts inside the window, oldest first; fewer than `limit`. */
  attempts: number[];
  lockedUntilMs: number;
}

export function createAttemptLimiter(options: AttemptLimiterOptions): AttemptLimiter {
  const { limit, windowMs, lockMs, maxKeys } = options;
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  // Map order is the eviction order: an updated key is re-inserted at the end.
  const entries = new Map<string, Entry>();

  /** The entry as of `nowMs`, without attempts that left the window; dropped when nothing is left. */
  const current = (key: string, nowMs: number): Entry | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.lockedUntilMs > nowMs) return entry;
    const firstInWindow = entry.attempts.findIndex((at) => at > nowMs - windowMs);
    entry.attempts = firstInWindow < 0 ? [] : entry.attempts.slice(firstInWindow);
    entry.lockedUntilMs = 0;
    if (entry.attempts.length === 0) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    lockedUntil(key, nowMs) {
      const entry = current(key, nowMs);
      return entry && entry.lockedUntilMs > nowMs ? entry.lockedUntilMs : undefined;
    },
    countOf(key, nowMs) {
      return current(key, nowMs)?.attempts.length ?? 0;
    },
    record(key, nowMs) {
      const entry = current(key, nowMs) ?? { attempts: [], lockedUntilMs: 0 };
      if (entry.lockedUntilMs > nowMs) return;
      entry.attempts.push(nowMs);
      if (entry.attempts.length >= limit) {
        entry.attempts = [];
        entry.lockedUntilMs = nowMs + lockMs;
      }
      entries.delete(key);
      if (entries.size >= maxKeys) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
    },
    reset(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
