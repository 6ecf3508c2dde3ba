import type { PlacementLog } from "./placement-deps";

/**
 * A log that repeats nothing: the control loop retries every tick, and a shard stuck for
 * an hour should say why once, not 3600 times. A message is logged when it differs from
 * the last one logged under its key; `clear` forgets a key once the condition is gone.
 */
export class QuietLog {
  private readonly last = new Map<string, string>();
  constructor(private readonly log: PlacementLog) {}

  /** Logs `message` unless it is what `key` said last. */
  say(key: string, message: string, cause?: unknown): void {
    if (this.last.get(key) === message) return;
    this.last.set(key, message);
    this.log(message, cause);
  }

  /** The condition behind `key` is over: its next message is logged again. */
  clear(key: string): void {
    this.last.delete(key);
  }

  /** Clears every key but these (the conditions still present at this tick). */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.last.keys()) if (!keys.has(key)) this.last.delete(key);
  }
}
