/** Counts the points an owner stores now, over all their collections. */
export type CountOwnerPoints = (ownerId: string) => Promise<number>;

/** Room taken for an upsert's new points until it is answered; settle exactly once. */
export interface PointReservation {
  /** The upsert was answered with `written` distinct ids, or failed (undefined: some may have been written). */
  settle(written: number | undefined): void;
}

export interface PointUsageOptions {
  /** How long a count stands before it is taken again (in the background); default 5000 ms. */
  ttlMs?: number;
  /** Most owners tracked; the least recently used is forgotten (and counted again when next used). Default 100,000. */
  maxOwners?: number;
  now?: () => number;
  log: (message: string, cause?: unknown) => void;
}

interface Ledger {
  /** Points the shards held when the last count ran (0 until one succeeds). */
  counted: number;
  /** When the last count started, ms; undefined before the first. */
  countedAtMs: number | undefined;
  /** Net points this node added since that count started: answered upserts, deletes. */
  sinceCount: number;
  /** Upserts since that count whose new points were not known (their written ids were added instead: an upper bound). */
  guessesSinceCount: number;
  /** Points reserved by upserts not answered yet. */
  inFlight: number;
  counting?: Promise<void>;
}

/** After a failed count, the next is tried this much later. */
const RECOUNT_AFTER_FAILURE_MS = 1000;

/**
 * Each owner's stored points as this API node sees them, without a round trip per
 * upsert: the last count of the shards (taken again in the background once it is
 * `ttlMs` old), plus what this node wrote and deleted since, plus what is being written.
 * Upserts that may overwrite count as all new, so the estimate errs high and
 * `exactTotal` recounts; what other API nodes wrote shows up at the next count, so a
 * cluster's users can pass their quota by what the other nodes write in one window.
 */
export class PointUsage {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly ttlMs: number;
  private readonly maxOwners: number;
  private readonly now: () => number;

  constructor(
    private readonly count: CountOwnerPoints,
    private readonly options: PointUsageOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 5000;
    this.maxOwners = options.maxOwners ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** The estimate; waits for a first count, and refreshes a stale one in the background. */
  async estimatedTotal(ownerId: string): Promise<number> {
    const ledger = this.ledgerOf(ownerId);
    if (ledger.countedAtMs === undefined) await this.recount(ownerId, ledger);
    else if (this.now() - ledger.countedAtMs >= this.ttlMs) void this.recount(ownerId, ledger);
    return total(ledger);
  }

  /** As exact as this node can know: counts again now unless the count is fresh and nothing since was a guess. */
  async exactTotal(ownerId: string): Promise<number> {
    const ledger = this.ledgerOf(ownerId);
    const fresh = ledger.countedAtMs !== undefined && this.now() - ledger.countedAtMs < this.ttlMs;
    if (!fresh || ledger.guessesSinceCount > 0) await this.recount(ownerId, ledger);
    return total(ledger);
  }

  /**
   * Reserves room for `points` new points if the owner's total stays within `limit` (or
   * `points` is 0); undefined if not. Check and reservation happen together (no await between), so
   * concurrent upserts on this node cannot both take the last room. `known`: `points`
   * is the exact number of new points (else the upsert's written ids are added when
   * it is answered, as an upper bound).
   */
  tryReserve(ownerId: string, points: number, limit: number, known: boolean): PointReservation | undefined {
    const ledger = this.ledgerOf(ownerId);
    // No new points (overwrites only) always pass, even for a user above the limit (a plan downgraded).
    if (points > 0 && total(ledger) + points > limit) return undefined;
    ledger.inFlight += points;
    let settled = false;
    return {
      settle: (written) => {
        if (settled) return;
        settled = true;
        ledger.inFlight -= points;
        if (known) ledger.sinceCount += points;
        else {
          ledger.sinceCount += written ?? points;
          ledger.guessesSinceCount++;
        }
      },
    };
  }

  /** Points deleted by this node. */
  deleted(ownerId: string, points: number): void {
    const ledger = this.ledgers.get(ownerId);
    if (ledger) ledger.sinceCount -= points;
  }

  /** Forgets the owner (a collection was deleted): the next upsert counts again first. */
  forget(ownerId: string): void {
    this.ledgers.delete(ownerId);
  }

  private ledgerOf(ownerId: string): Ledger {
    let ledger = this.ledgers.get(ownerId);
    if (ledger) {
      this.ledgers.delete(ownerId);
    } else {
      ledger = { counted: 0, countedAtMs: undefined, sinceCount: 0, guessesSinceCount: 0, inFlight: 0 };
      if (this.ledgers.size >= this.maxOwners) this.ledgers.delete(this.ledgers.keys().next().value!);
    }
    this.ledgers.set(ownerId, ledger);
    return ledger;
  }

  /** One count at a time per owner; writes answered while it runs stay in sinceCount. */
  private recount(ownerId: string, ledger: Ledger): Promise<void> {
    ledger.counting ??= (async () => {
      const startedAtMs = this.now();
      const sinceBefore = ledger.sinceCount;
      const guessesBefore = ledger.guessesSinceCount;
      try {
        ledger.counted = await this.count(ownerId);
        ledger.countedAtMs = startedAtMs;
        ledger.sinceCount -= sinceBefore;
        ledger.guessesSinceCount -= guessesBefore;
      } catch (err) {
        // A shard that cannot be counted must not stop the owner's writes: the last
        // count (none: 0) stands and counting is tried again a little later.
        this.options.log(`counting the points of user ${ownerId} for the point quota failed`, err);
        ledger.countedAtMs = startedAtMs - this.ttlMs + RECOUNT_AFTER_FAILURE_MS;
      } finally {
        ledger.counting = undefined;
      }
    })();
    return ledger.counting;
  }
}

function total(ledger: Ledger): number {
  return ledger.counted + ledger.sinceCount + ledger.inFlight;
}
