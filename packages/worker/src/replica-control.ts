import type { Client } from "@connectrpc/connect";
import type { PlacementService } from "@vectron/proto/placement/v1";
import type { ReplicateRequest, WorkerService } from "@vectron/proto/worker/v1";
import { VectronError } from "@vectron/rpc-errors";
import { fromChangeRecord } from "./change-records";
import { PrimaryTerm, type ReplicationLimits, type TermMember } from "./primary-term";
import { writeReplicaState, type ReplicaState } from "./replica-state-file";
import { SerialTurns } from "./serial-turns";
import type { ShardOps } from "./shard-ops";

/** What every replica's control shares: the worker's identity, shards and peers. */
export interface ReplicaControlDeps {
  workerId: string;
  shards: ShardOps;
  workerClient: ((address: string) => Client<typeof WorkerService>) | undefined;
  placement: Client<typeof PlacementService> | undefined;
  limits: () => ReplicationLimits;
  log: (message: string) => void;
}

/** The role placement gives this replica, with what a primary needs to know of the others. */
export interface ListedRole {
  epoch: number;
  primary: boolean;
  replicationFactor: number;
  members: TermMember[];
}

/** Why every term ends when the worker closes. */
export const CLOSING = "the worker is closing";

/**
 * The replication state machine of one shard replica on this worker: its durable
 * promises (ReplicaState), its role, and its PrimaryTerm while it acts as primary.
 * Every change of state runs in `turns`, one at a time; writes only read `term`.
 */
export class ReplicaControl {
  readonly turns = new SerialTurns();
  /** Present while this replica acts as primary (of term.epoch). */
  term: PrimaryTerm | undefined;

  constructor(
    private readonly deps: ReplicaControlDeps,
    readonly key: string,
    readonly dir: string,
    public state: ReplicaState,
  ) {}

  /** Takes up the role placement lists (call in a turn). */
  async takeRole(role: ListedRole): Promise<void> {
    if (!role.primary) {
      if (this.term) this.stepDown(`placement lists it as a follower at epoch ${role.epoch}`);
      if (role.epoch > this.state.promisedEpoch) this.#save({ ...this.state, promisedEpoch: role.epoch });
      return;
    }
    if (this.state.promisedEpoch > role.epoch) {
      if (this.term) this.stepDown(`it promised epoch ${this.state.promisedEpoch}`);
      this.deps.log(`shard ${this.key}: not taking the primary role of epoch ${role.epoch}: it promised epoch ${this.state.promisedEpoch}`);
      return;
    }
    if (this.term?.epoch === role.epoch) {
      this.term.setMembers(role.members, role.replicationFactor);
      return;
    }
    if (this.term) this.stepDown(`it becomes primary of epoch ${role.epoch}`);
    if (this.state.copying) {
      this.deps.log(`shard ${this.key}: not taking the primary role of epoch ${role.epoch}: it holds a partial copy`);
      return;
    }
    // Its whole log is the primary's log from now on; a replica fenced mid-copy reported
    // its consistent sequence to be chosen, and as primary must not report less than the
    // writes it acknowledges.
    if (this.state.midCopyConsistentSeq !== null) {
      this.deps.log(`shard ${this.key}: takes the primary role of epoch ${role.epoch} mid-copy (consistent through sequence ${this.state.midCopyConsistentSeq})`);
    }
    let next: ReplicaState = { ...this.state, promisedEpoch: role.epoch, midCopyConsistentSeq: null };
    if (this.state.logEpoch !== role.epoch) {
      // A new log epoch continues this replica's log: followers holding a prefix of it keep theirs.
      const { lastSeq } = await this.deps.shards.status(this.key);
      next = { ...next, logEpoch: role.epoch, baseEpoch: this.state.logEpoch, baseSeq: lastSeq };
    }
    // Unchanged after a restart: not rewritten, so a full disk does not keep it from its role.
    if (!sameState(next, this.state)) this.#save(next);
    this.#startTerm(role);
  }

  #startTerm(role: ListedRole): void {
    const [collectionId, shardId] = this.key.split("/") as [string, string];
    const term = new PrimaryTerm({
      ...this.deps,
      key: this.key,
      collectionId,
      shardId: Number(shardId),
      epoch: role.epoch,
      baseEpoch: this.state.baseEpoch,
      baseSeq: this.state.baseSeq,
      onStale: (error) => {
        if (this.term !== term) return;
        this.stepDown(`a follower refused epoch ${role.epoch} (${(error as Error).message})`);
      },
    });
    // Synchronously together: the shard thread receives the gate change before any write
    // this term lets through.
    void this.deps.shards.setWriteEpoch(this.key, role.epoch).catch((err) => this.deps.log(`shard ${this.key}: ${(err as Error).message}`));
    this.term = term;
    term.setMembers(role.members, role.replicationFactor);
  }

  /**
   * Stops acting as primary at once: no more writes pass (the shard thread refuses those
   * already queued), waiting writes fail with a stale-epoch error, streams stop.
   */
  stepDown(why: string): void {
    const term = this.term;
    if (!term) return;
    this.term = undefined;
    // A closing worker steps down every shard: not news worth a line per shard.
    if (why !== CLOSING) this.deps.log(`shard ${this.key}: steps down as primary of epoch ${term.epoch}: ${why}`);
    void this.deps.shards.setWriteEpoch(this.key, null).catch(() => {
      // The shard was dropped or closed: nothing left to refuse writes to.
    });
    void term.end(new VectronError("failed_precondition", `shard ${this.key}: stale epoch: this replica stopped being the primary of epoch ${term.epoch} (${why})`));
  }

  /**
   * FenceShard (call in a turn): promise `epoch`, and answer how far this replica holds
   * exactly a state of its log epoch's log (consistentSeq): what promotion compares.
   */
  async fence(epoch: number): Promise<{ logEpoch: number; consistentSeq: number; partial: boolean }> {
    if (epoch > this.state.promisedEpoch) {
      if (this.term) this.stepDown(`fenced at epoch ${epoch}`);
      this.#save({ ...this.state, promisedEpoch: epoch });
    }
    const { lastSeq } = await this.deps.shards.status(this.key);
    const partial = this.state.copying || this.state.midCopyConsistentSeq !== null;
    return { logEpoch: this.state.logEpoch, consistentSeq: this.consistentSeq(lastSeq), partial };
  }

  /**
   * The last sequence up to which this replica holds exactly a state of the primary's
   * log, given its last sequence (read in the same turn): that one, unless it is mid-copy.
   */
  consistentSeq(lastSeq: number): number {
    return Math.min(this.state.midCopyConsistentSeq ?? lastSeq, lastSeq);
  }

  /** Replicate, follower side (call in a turn). */
  async replicate(request: ReplicateRequest): Promise<{ applied: boolean; lastSeq: number }> {
    const epoch = Number(request.shard?.epoch ?? 0n);
    if (epoch < this.state.promisedEpoch) {
      throw new VectronError("failed_precondition", `shard ${this.key}: stale epoch: Replicate from epoch ${epoch}, this replica promised epoch ${this.state.promisedEpoch}`);
    }
    if (this.term) {
      if (this.term.epoch === epoch) {
        throw new VectronError("failed_precondition", `shard ${this.key}: this replica is itself the primary of epoch ${epoch}`);
      }
      this.stepDown(`worker ${request.primaryWorkerId} replicates as primary of epoch ${epoch}`);
    }
    let next: ReplicaState = { ...this.state, promisedEpoch: epoch };
    if (this.state.logEpoch !== epoch) {
      const { lastSeq } = await this.deps.shards.status(this.key);
      // A partial copy (emptied and copying, or mid-catch-up) is not a prefix of anything,
      // whatever its last sequence: a page cut short skipped ids overwritten later.
      const partial = this.state.copying || this.state.midCopyConsistentSeq !== null;
      if (!partial && this.state.logEpoch === Number(request.baseEpoch) && lastSeq <= Number(request.baseSeq)) {
        next = { ...next, logEpoch: epoch };
      } else {
        await this.#empty(next, epoch);
        return { applied: false, lastSeq: 0 };
      }
    }
    const afterSeq = Number(request.afterSeq);
    const throughSeq = Number(request.throughSeq);
    // An empty page with nothing new is at the primary's end even from a primary that
    // does not say so.
    const atPrimaryEnd = request.atPrimaryEnd || (request.changes.length === 0 && afterSeq === throughSeq);
    if (!atPrimaryEnd && next.midCopyConsistentSeq === null) {
      // Its first page short of the primary's end: it is about to leave a state of the
      // primary's log, so it records that state first (only if the page will apply).
      const { lastSeq } = await this.deps.shards.status(this.key);
      if (lastSeq === afterSeq) next = { ...next, midCopyConsistentSeq: lastSeq };
    }
    if (!sameState(next, this.state)) this.#save(next);
    const result = await this.deps.shards.applyChanges(this.key, afterSeq, request.changes.map(fromChangeRecord), throughSeq);
    if (result.applied && atPrimaryEnd) {
      // An empty page at the primary's end (the stream sends one only then): the whole log is here.
      const caughtUp = request.changes.length === 0 && afterSeq === throughSeq;
      if (this.state.midCopyConsistentSeq !== null || (caughtUp && this.state.copying)) {
        this.#save({ ...this.state, midCopyConsistentSeq: null, copying: this.state.copying && !caughtUp });
      }
    }
    return result;
  }

  /**
   * This replica's log may hold writes the primary never had: it empties itself to copy
   * the primary's log from scratch. Marked copying first, so a crash in between leaves a
   * replica that serves no reads rather than one claiming the new log epoch with old data.
   */
  async #empty(next: ReplicaState, epoch: number): Promise<void> {
    this.deps.log(`shard ${this.key}: log of epoch ${this.state.logEpoch} is not a prefix of epoch ${epoch}'s: emptying to copy it`);
    this.#save({ ...next, copying: true });
    await this.deps.shards.clear(this.key);
    // Empty, it holds the state the primary's log starts from: consistent at sequence 0.
    this.#save({ ...next, logEpoch: epoch, baseEpoch: 0, baseSeq: 0, copying: true, midCopyConsistentSeq: null });
  }

  /** Ends the term, if any (the shard is being dropped or the worker closes). */
  async close(why: string): Promise<void> {
    const term = this.term;
    this.stepDown(why);
    await term?.end(new VectronError("unavailable", `shard ${this.key}: ${why}`));
  }

  #save(state: ReplicaState): void {
    writeReplicaState(this.dir, state);
    this.state = state;
  }
}

function sameState(a: ReplicaState, b: ReplicaState): boolean {
  return (
    a.promisedEpoch === b.promisedEpoch &&
    a.logEpoch === b.logEpoch &&
    a.baseEpoch === b.baseEpoch &&
    a.baseSeq === b.baseSeq &&
    a.copying === b.copying &&
    a.midCopyConsistentSeq === b.midCopyConsistentSeq
  );
}
