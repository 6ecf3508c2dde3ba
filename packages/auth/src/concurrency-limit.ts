/**
 * A semaphore with a bounded wait queue: at most `maxConcurrent` tasks run at once, at
 * most `maxQueued` wait (first come, first served), and a task arriving beyond that is
 * refused at once with `rejection()` instead of waiting without bound.
 */
export interface ConcurrencyLimit {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a slot now. */
  readonly waiting: number;
}

export interface ConcurrencyLimitOptions {
  maxConcurrent: number;
  maxQueued: number;
  /** The error a task beyond the queue is refused with. */
  rejection: () => Error;
}

export function createConcurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimit {
  const { maxConcurrent, maxQueued, rejection } = options;
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`maxConcurrent must be an integer of at least 1, got ${maxConcurrent}`);
  }
  if (!Number.isInteger(maxQueued) || maxQueued < 0) throw new RangeError(`maxQueued must be an integer of at least 0, got ${maxQueued}`);
  let running = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    const next = queue.shift();
    if (next) next(); // the slot passes straight to the next waiter: `running` is unchanged
    else running--;
  };

  return {
    async run(task) {
      if (running < maxConcurrent) running++;
      else if (queue.length < maxQueued) await new Promise<void>((resolve) => queue.push(resolve));
      else throw rejection();
      try {
        return await task();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
