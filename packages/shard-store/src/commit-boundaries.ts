/** How many recent commits a store remembers the end of. */
export const REMEMBERED_COMMITS = 4096;

/**
 * The last sequence of each of the store's most recent commits (a ring, oldest dropped
 * first), in memory only: a store reopened after a restart knows none of its older
 * commits. A replication page cut at one of these never splits a transaction, so a
 * follower never holds part of a batch (see ShardStore.lastCommitEndIn).
 */
export class CommitBoundaries {
  readonly #ends: number[];
  /** Index of the oldest remembered end; the ring holds `#size` ends from there. */
  #start = 0;
  #size = 0;

  constructor(readonly capacity = REMEMBERED_COMMITS) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`CommitBoundaries: capacity must be an integer >= 1, got ${capacity}`);
    this.#ends = new Array<number>(capacity);
  }

  /** A commit ended at `seq`; ignored unless past the last one recorded (a commit that wrote nothing). */
  record(seq: number): void {
    if (this.#size > 0 && seq <= this.#at(this.#size - 1)) return;
    if (this.#size < this.capacity) {
      this.#ends[(this.#start + this.#size) % this.capacity] = seq;
      this.#size++;
      return;
    }
    this.#ends[this.#start] = seq;
    this.#start = (this.#start + 1) % this.capacity;
  }

  /** The highest remembered end in [from, to], or undefined (a binary search: ends only grow). */
  highestIn(from: number, to: number): number | undefined {
    let low = 0;
    let high = this.#size; // first position whose end is > to
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#at(middle) <= to) low = middle + 1;
      else high = middle;
    }
    if (low === 0) return undefined;
    const end = this.#at(low - 1);
    return end >= from ? end : undefined;
  }

  /** Forgets every end (the store was emptied: sequences start again from 0). */
  clear(): void {
    this.#start = 0;
    this.#size = 0;
  }

  #at(position: number): number {
    return this.#ends[(this.#start + position) % this.capacity]!;
  }
}
