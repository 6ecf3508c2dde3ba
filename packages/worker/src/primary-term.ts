import type { Client } from "@connectrpc/connect";
import type { PlacementService } from "@vectron/proto/placement/v1";
import type { WorkerService } from "@vectron/proto/worker/v1";
import { invalidArgument, VectronError } from "@vectron/rpc-errors";
import { ReplicationStream } from "./replication-stream";
import type { TermIdentity } from "./term-identity";
import { WriteQuorum } from "./write-quorum";

/** A replica of the shard as the primary's placement listing names it. */
export interface TermMember {
  workerId: string;
  address: string;
  /** Listed ACTIVE (in sync) by placement. */
  active: boolean;
}

/** Timings and bounds of replication, shared by every term of a worker. */
export interface ReplicationLimits {
  /** Longest wait for a write quorum before answering UNAVAILABLE. */
  writeTimeoutMs: number;
  /** Longest wait for followers to confirm the epoch for a strong read. */
  confirmTimeoutMs: number;
  pingIntervalMs: number;
  maxChanges: number;
  maxBytes: number;
}

export interface PrimaryTermOptions extends TermIdentity {
  workerClient: ((address: string) => Client<typeof WorkerService>) | undefined;
  placement: Client<typeof PlacementService> | undefined;
  limits: () => ReplicationLimits;
  /** A follower promised a newer epoch: the replica must stop acting as primary. */
  onStale: (error: unknown) => void;
}

/**
 * One replica's time as primary of one epoch: a replication stream per follower, the
 * writes waiting for their quorum, and the in-sync reports to placement. Ends (end())
 * when the replica steps down; it is never reused for another epoch.
 */
export class PrimaryTerm {
  readonly epoch: number;
  readonly baseEpoch: number;
  readonly baseSeq: number;
  #members: TermMember[] = [];
  #replicationFactor = 1;
  readonly #streams = new Map<string, { address: string; stream: ReplicationStream }>();
  readonly #quorum: WriteQuorum;
  /** Followers reported in sync since the last placement listing. */
  readonly #reported = new Set<string>();
  #ended: VectronError | undefined;
  #stopping: Promise<void> | undefined;

  constructor(private readonly options: PrimaryTermOptions) {
    this.epoch = options.epoch;
    this.baseEpoch = options.baseEpoch;
    this.baseSeq = options.baseSeq;
    this.#quorum = new WriteQuorum((seq) => {
      let holding = 1; // this replica: a write is committed here before anyone waits on it
      // Only followers placement lists as active count: a failover fences those (N - W + 1
      // of them), never syncing ones, so a write acknowledged through a syncing replica
      // could be missed. A follower placement just made active counts from the next listing.
      for (const [workerId, { stream }] of this.#streams) {
        if (stream.safeSeq >= seq && this.#members.some((m) => m.workerId === workerId && m.active)) holding++;
      }
      return holding;
    });
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  /** Each follower streamed to, with the last sequence it acknowledged (undefined until it first answered). */
  followerProgress(): { workerId: string; acked: number | undefined }[] {
    return [...this.#streams].map(([workerId, { stream }]) => ({ workerId, acked: stream.acked }));
  }

  /**
   * The shard's replicas as placement lists them now (this one included): streams start
   * for new followers, restart for moved ones, stop for those no longer listed.
   */
  setMembers(members: TermMember[], replicationFactor: number): void {
    if (this.#ended) return;
    this.#members = members;
    this.#replicationFactor = Math.max(1, replicationFactor);
    this.#reported.clear();
    const followers = new Map(members.filter((m) => m.workerId !== this.options.workerId).map((m) => [m.workerId, m]));
    for (const [workerId, { address, stream }] of this.#streams) {
      if (followers.get(workerId)?.address === address) continue;
      this.#streams.delete(workerId);
      void stream.stop();
    }
    for (const follower of followers.values()) {
      if (!this.#streams.has(follower.workerId)) this.#streams.set(follower.workerId, { address: follower.address, stream: this.#startStream(follower) });
    }
    this.#quorum.recheck();
  }

  /** The write quorum a request asks for (0: a majority of the replication factor), checked against the replicas listed. */
  writeQuorum(requested: number): number {
    const quorum = requested || Math.floor(this.#replicationFactor / 2) + 1;
    if (quorum > Math.max(1, this.#members.length)) {
      throw invalidArgument("write_quorum", `is ${quorum}, but shard ${this.options.key} has ${Math.max(1, this.#members.length)} replicas`);
    }
    return quorum;
  }

  /** New local commits: every follower stream reads its next page. */
  committed(): void {
    for (const { stream } of this.#streams.values()) stream.wake();
  }

  /** Settles once `quorum` replicas hold the log up to `seq` (see WriteQuorum). */
  waitForQuorum(seq: number, quorum: number): Promise<void> {
    if (this.#ended) return Promise.reject(this.#ended);
    return this.#quorum.wait(seq, quorum, this.options.limits().writeTimeoutMs, () => {
      return new VectronError(
        "unavailable",
        `shard ${this.options.key}: the write is committed on the primary (sequence ${seq}) but not yet on ${quorum} replicas; ` +
          `its outcome is unknown and it may still become durable`,
      );
    });
  }

  /**
   * Confirms this replica is still primary of its epoch without relying on its lease:
   * enough followers, with this replica a majority of the replication factor, answer a
   * Replicate sent from now on. Throws unavailable when they do not in time.
   */
  async confirm(): Promise<void> {
    const needed = Math.floor(this.#replicationFactor / 2);
    const unavailable = (why: string) =>
      new VectronError("unavailable", `shard ${this.options.key}: cannot confirm epoch ${this.epoch} for a strong read: ${why}`);
    if (needed === 0) throw unavailable("the worker's lease has expired and the shard has no followers");
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    let confirmed = 0;
    let failed = 0;
    // Only active followers: a failover fences those, so a quorum of them that still
    // answers at this epoch proves no newer primary exists.
    const streams = [...this.#streams].filter(([workerId]) => this.#members.some((m) => m.workerId === workerId && m.active)).map(([, entry]) => entry);
    if (streams.length < needed) throw unavailable(`it needs ${needed} followers, ${streams.length} are listed`);
    const timer = setTimeout(() => reject(unavailable("the followers did not answer in time")), this.options.limits().confirmTimeoutMs);
    for (const { stream } of streams) {
      stream.confirm().then(
        () => ++confirmed >= needed && resolve(),
        () => ++failed > streams.length - needed && reject(unavailable("followers refused or left")),
      );
    }
    try {
      await promise;
    } finally {
      clearTimeout(timer);
    }
    if (this.#ended) throw this.#ended;
  }

  /** Ends the term: waiting writes fail with `reason`, streams stop. */
  end(reason: VectronError): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#ended = reason;
    this.#quorum.failAll(reason);
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    this.#stopping = Promise.all(streams.map(({ stream }) => stream.stop())).then(() => {});
    return this.#stopping;
  }

  #startStream(follower: TermMember): ReplicationStream {
    const { options } = this;
    const limits = options.limits();
    return new ReplicationStream({
      key: options.key,
      collectionId: options.collectionId,
      shardId: options.shardId,
      epoch: this.epoch,
      baseEpoch: this.baseEpoch,
      baseSeq: this.baseSeq,
      workerId: options.workerId,
      shards: options.shards,
      connect: () => {
        if (!options.workerClient) throw new Error("no workerClient configured: this worker cannot reach its followers");
        return options.workerClient(follower.address);
      },
      maxChanges: limits.maxChanges,
      maxBytes: limits.maxBytes,
      pingIntervalMs: limits.pingIntervalMs,
      onAck: () => this.#quorum.recheck(),
      onStale: (error) => options.onStale(error),
      onInSync: () => this.#reportInSync(follower.workerId),
      wantsInSync: () => this.#wantsReport(follower.workerId),
      log: options.log,
    });
  }

  /**
   * A follower not listed active may be copying from scratch (it serves no reads until
   * an empty page tells it it caught up) and is reported to placement once in sync.
   */
  #wantsReport(workerId: string): boolean {
    const member = this.#members.find((m) => m.workerId === workerId);
    return member !== undefined && !member.active && !this.#reported.has(workerId);
  }

  /** Tells placement a not-yet-active follower holds the whole log (again after each listing that still shows it inactive). */
  #reportInSync(workerId: string): void {
    if (this.#ended || !this.#wantsReport(workerId)) return;
    this.#reported.add(workerId);
    if (!this.options.placement) return;
    const { collectionId, shardId } = this.options;
    this.options.placement.reportReplicaInSync({ collectionId, shardId, workerId, epoch: BigInt(this.epoch) }).catch((err) => {
      this.#reported.delete(workerId);
      this.options.log(`shard ${this.options.key}: reporting follower ${workerId} in sync failed: ${(err as Error).message}`);
    });
  }
}
