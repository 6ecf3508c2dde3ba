import { create } from "@bufbuild/protobuf";
import { Code, type Client } from "@connectrpc/connect";
import { errorCodeOf } from "@vectron/rpc-errors";
import { ReplicateRequestSchema, type WorkerService } from "@vectron/proto/worker/v1";
import { toChangeRecord } from "./change-records";
import type { TermIdentity } from "./term-identity";

/** What a stream needs from the primary term it belongs to. */
export interface StreamContext extends TermIdentity {
  /** A client of the follower's worker; may throw (it is then retried like a failed call). */
  connect: () => Client<typeof WorkerService>;
  maxChanges: number;
  maxBytes: number;
  /** Longest silence towards the follower: an empty Replicate goes out at least this often. */
  pingIntervalMs: number;
  /** The follower's known prefix grew (quorum waiters may settle). */
  onAck: () => void;
  /** The follower refused the epoch (it promised a newer one): the primary must step down. */
  onStale: (error: unknown) => void;
  /** The follower applied an empty page at the primary's end: it holds the primary's whole log. */
  onInSync: () => void;
  /** Whether onInSync is awaited (the follower is not listed active): then an empty page follows catching up at once. */
  wantsInSync: () => boolean;
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1000;

/**
 * Primary → one follower: sends the primary's log in pages (ShardOps.replicationPage)
 * from what the follower holds, forever, until stopped. Wakes on each local commit,
 * pings when idle, backs off on errors (100 ms doubling to 1 s) and retries while the
 * term lasts; a FAILED_PRECONDITION from the follower ends it through onStale.
 *
 * `acked` is the follower's last sequence as it last answered (unknown at start: the
 * first Replicate starts at the primary's end and learns it). `safeSeq` is what counts
 * towards write quorums: the through_seq of an applied page that reached the primary's
 * end (not `full`). A full page carries only the newest version of each id up to its
 * through_seq, so a version overwritten after it is missing there until a later page:
 * the follower then holds no real state of the log, and must not vouch for a write yet.
 */
export class ReplicationStream {
  acked: number | undefined;
  safeSeq = 0;
  #stopped = false;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  #client: Client<typeof WorkerService> | undefined;
  #confirmers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Send an empty page as soon as there is nothing else to send (see wantsInSync). */
  #emptyWanted = false;
  #lastSentAt = -Infinity;
  readonly #done: Promise<void>;

  constructor(private readonly context: StreamContext) {
    this.#done = this.#run();
  }

  /** New local commits: read the next page now. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /**
   * Settles once the follower has answered a Replicate sent after this call (the
   * follower accepted this epoch then); rejects if the stream stops first.
   */
  confirm(): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    this.#confirmers.push({ resolve, reject });
    this.wake();
    return promise;
  }

  /** Stops the loop; resolves once it has. Waiting confirmations fail. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.wake();
    for (const confirmer of this.#confirmers.splice(0)) confirmer.reject(new Error("replication stream stopped"));
    await this.#done;
  }

  async #run(): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    while (!this.#stopped) {
      try {
        this.#woken = false;
        await this.#step();
        if (backoff > MIN_BACKOFF_MS) this.context.log(`shard ${this.context.key}: replication to a follower resumed`);
        backoff = MIN_BACKOFF_MS;
      } catch (err) {
        if (this.#stopped) break;
        if (errorCodeOf(err) === Code.FailedPrecondition) {
          this.#stopped = true;
          for (const confirmer of this.#confirmers.splice(0)) confirmer.reject(err as Error);
          this.context.onStale(err);
          break;
        }
        this.#client = undefined;
        // Logged once per outage, not at every retry.
        if (backoff === MIN_BACKOFF_MS) this.context.log(`shard ${this.context.key}: replication to a follower failed, retrying: ${(err as Error).message}`);
        await this.#sleep(backoff, false);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** One page (or ping) sent and answered, or an idle wait. */
  async #step(): Promise<void> {
    const { context } = this;
    const page = await context.shards.replicationPage(context.key, this.acked ?? null, context.maxChanges, context.maxBytes);
    if (this.#stopped) return;
    if (page.throughSeq < page.afterSeq) {
      throw new Error(`the follower reports sequence ${page.afterSeq}, past this primary's ${page.throughSeq}`);
    }
    const idle = page.changes.length === 0 && this.acked !== undefined;
    if (idle && this.#confirmers.length === 0 && !this.#emptyWanted) {
      const silentFor = performance.now() - this.#lastSentAt;
      if (silentFor < context.pingIntervalMs) {
        await this.#sleep(context.pingIntervalMs - silentFor, true);
        return;
      }
    }
    const confirmers = this.#confirmers.splice(0);
    let response;
    try {
      this.#client ??= context.connect();
      response = await this.#client.replicate(
        create(ReplicateRequestSchema, {
          shard: { collectionId: context.collectionId, shardId: context.shardId, epoch: BigInt(context.epoch) },
          primaryWorkerId: context.workerId,
          baseEpoch: BigInt(context.baseEpoch),
          baseSeq: BigInt(context.baseSeq),
          afterSeq: BigInt(page.afterSeq),
          throughSeq: BigInt(page.throughSeq),
          changes: page.changes.map(toChangeRecord),
          // The follower keeps its consistent sequence by this (see ReplicaState.midCopyConsistentSeq).
          atPrimaryEnd: !page.full,
        }),
      );
    } catch (err) {
      this.#confirmers.unshift(...confirmers);
      throw err;
    }
    this.#lastSentAt = performance.now();
    for (const confirmer of confirmers) confirmer.resolve();
    this.acked = Number(response.lastSeq);
    if (!response.applied || this.#stopped) return;
    if (page.full) return;
    this.safeSeq = Math.max(this.safeSeq, page.throughSeq);
    context.onAck();
    if (page.changes.length === 0) {
      this.#emptyWanted = false;
      context.onInSync();
    } else if (context.wantsInSync()) {
      this.#emptyWanted = true;
    }
  }

  /** Waits `ms`, or less if woken (when `wakeable`) or stopped. */
  async #sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.#stopped || (wakeable && this.#woken)) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wakeUp = () => {
        if (!wakeable && !this.#stopped) return;
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wakeUp = undefined;
  }
}
