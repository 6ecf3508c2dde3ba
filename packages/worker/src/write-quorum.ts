import { VectronError } from "@vectron/rpc-errors";

interface Waiter {
  seq: number;
  needed: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The writes of one primary term waiting until enough replicas hold them durably.
 * `holding(seq)` counts the replicas (the primary included) known to hold the log up to
 * seq; `recheck` is called whenever that may have grown.
 */
export class WriteQuorum {
  readonly #waiters = new Set<Waiter>();

  constructor(private readonly holding: (seq: number) => number) {}

  /**
   * Settles once `needed` replicas hold `seq`; after `timeoutMs` rejects with the error
   * `onTimeout` makes (the write stays committed where it is: its outcome is unknown).
   */
  wait(seq: number, needed: number, timeoutMs: number, onTimeout: () => Error): Promise<void> {
    if (this.holding(seq) >= needed) return Promise.resolve();
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    const waiter: Waiter = {
      seq,
      needed,
      resolve,
      reject,
      timer: setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(onTimeout());
      }, timeoutMs),
    };
    this.#waiters.add(waiter);
    return promise;
  }

  recheck(): void {
    for (const waiter of this.#waiters) {
      if (this.holding(waiter.seq) < waiter.needed) continue;
      this.#settle(waiter);
      waiter.resolve();
    }
  }

  /** Fails every waiting write (the term ended). */
  failAll(error: VectronError): void {
    for (const waiter of this.#waiters) {
      this.#settle(waiter);
      waiter.reject(error);
    }
  }

  #settle(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(waiter);
  }
}
