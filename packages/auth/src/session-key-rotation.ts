import type { SessionKey } from "./session-keys";
import { MAX_SESSION_TTL_SECONDS } from "./session-token";

/**
 * How long a key is kept after it stops signing: the longest session lifetime, plus ten
 * minutes for clocks that disagree and for nodes that re-read their keys late.
 */
export const SESSION_KEY_RETENTION_MS = (MAX_SESSION_TTL_SECONDS + 600) * 1000;

/** A session key as kept on disk, with when it was made (which is when the key before it stopped signing). */
export interface StoredSessionKey extends SessionKey {
  createdAtMs: number;
}

/**
 * The keys still needed at `nowMs`, newest first: the newest (it signs), and every older
 * key that stopped signing less than `retainMs` ago — a key stops signing when the next
 * one is made, so tokens it signed live at most the session lifetime after that. With
 * `retainMs` = the longest session lifetime plus a margin, no unexpired token loses its
 * key, and a retired key is refused once its tokens are all expired.
 */
export function liveSessionKeys<K extends StoredSessionKey>(keys: readonly K[], nowMs: number, retainMs: number): K[] {
  const newestFirst = [...keys].sort((a, b) => b.createdAtMs - a.createdAtMs);
  return newestFirst.filter((_, index) => index === 0 || nowMs - newestFirst[index - 1]!.createdAtMs < retainMs);
}

/**
 * The keys after a rotation: `fresh` signs from now on (its `createdAtMs` is the time of
 * the rotation), the key it replaces keeps verifying for `retainMs`, and keys retired
 * longer ago than that are dropped.
 */
export function rotateSessionKeys<K extends StoredSessionKey>(keys: readonly K[], fresh: K, retainMs: number): K[] {
  if (keys.some((key) => key.kid === fresh.kid)) throw new Error(`rotateSessionKeys: kid ${fresh.kid} is already in use`);
  const newest = Math.max(...keys.map((key) => key.createdAtMs));
  if (fresh.createdAtMs <= newest) {
    throw new Error(`rotateSessionKeys: the new key must be newer than every kept key (the clock is behind ${new Date(newest).toISOString()})`);
  }
  return liveSessionKeys([fresh, ...keys], fresh.createdAtMs, retainMs);
}
