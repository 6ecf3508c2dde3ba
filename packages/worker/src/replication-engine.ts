import { existsSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { PlacementService, WorkerShard } from "@vectron/proto/placement/v1";
import { ReplicaRole, ReplicaState as ListedState } from "@vectron/proto/v1";
import { ShardRefSchema, type ReplicateRequest, type ShardRef, type WorkerService } from "@vectron/proto/worker/v1";
import { VectronError } from "@vectron/rpc-errors";
import { distanceName } from "@vectron/enum-names";
import { diskFullForClient } from "./disk-full-error";
import { payloadIndexOf } from "./payload-index-kind";
import type { PrimaryTerm, ReplicationLimits } from "./primary-term";
import { CLOSING, ReplicaControl } from "./replica-control";
import { hasReplicaState, initialReplicaState, readReplicaState, writeReplicaState } from "./replica-state-file";
import { shardKey } from "./shard-key";
import type { ShardOps } from "./shard-ops";
import { shardDirOf } from "./shard-registry";

/** What acting on placement's list of this worker's replicas came to. */
export interface PlacementApplied {
  /** Replicas placement lists on this worker. */
  shards: number;
  /** Why a replica that was never set up here could not be created, when one could not (the first such error). */
  creationFailure?: unknown;
}

export interface ReplicationEngineOptions {
  /** This worker's id, as placement knows it. */
  workerId: string;
  dataDir: string;
  shards: ShardOps;
  /** A client of another worker, by its address (placement's base URL); needed once a shard has followers. */
  workerClient?: (address: string) => Client<typeof WorkerService>;
  /** Placement, for syncPlacement and in-sync reports; without it roles come from applyPlacement only. */
  placement?: Client<typeof PlacementService>;
  /** Longest wait for a write quorum before answering UNAVAILABLE. Default 10 s. */
  writeQuorumTimeoutMs?: number;
  /** Changes per Replicate at most (default 512), and about this many bytes (default 4 MiB). */
  maxChangesPerReplicate?: number;
  maxBytesPerReplicate?: number;
  /** Monotonic milliseconds; default performance.now. */
  now?: () => number;
  log?: (message: string) => void;
}

/**
 * Replication on one worker: a ReplicaControl per shard replica, roles taken from
 * placement (syncPlacement), primary authority suspended while the worker's lease is in
 * doubt, and the checks writes and reads go through.
 */
export class ReplicationEngine {
  readonly #controls = new Map<string, ReplicaControl>();
  readonly #options: ReplicationEngineOptions;
  readonly #now: () => number;
  readonly #log: (message: string) => void;
  #limits: ReplicationLimits;
  #leaseValidUntil = -Infinity;
  /** Bumped by each suspension; a sync that started before the last one does not lift it. */
  #suspension = 0;
  #suspended = false;
  #syncing: Promise<PlacementApplied> | undefined;
  #nextSync: Promise<PlacementApplied> | undefined;
  #closed = false;

  constructor(options: ReplicationEngineOptions, keysOnDisk: string[]) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#log = options.log ?? (() => {});
    this.#limits = {
      writeTimeoutMs: options.writeQuorumTimeoutMs ?? 10_000,
      confirmTimeoutMs: Math.min(options.writeQuorumTimeoutMs ?? 10_000, 2_500),
      pingIntervalMs: 2_500,
      maxChanges: options.maxChangesPerReplicate ?? 512,
      maxBytes: options.maxBytesPerReplicate ?? 4 * 1024 * 1024,
    };
    for (const key of keysOnDisk) {
      const dir = shardDirOf(options.dataDir, key);
      this.#controls.set(key, this.#newControl(key, readReplicaState(dir) ?? initialReplicaState(0, false)));
    }
  }

  /** A successful heartbeat or registration: the lease holds until `validUntil` (this engine's clock); pings every leaseMs/4. */
  noteLease(validUntil: number, leaseMs: number): void {
    this.#leaseValidUntil = validUntil;
    this.#limits = { ...this.#limits, pingIntervalMs: Math.max(50, Math.floor(leaseMs / 4)), confirmTimeoutMs: Math.max(100, Math.floor(leaseMs / 4)) };
  }

  /** The lease lapsed or the worker (re)registered: no shard acts as primary until a sync that starts after this completes. */
  suspendPrimaries(): void {
    this.#suspension++;
    this.#suspended = true;
  }

  get suspended(): boolean {
    return this.#suspended;
  }

  /** True while the worker's lease with placement holds (a heartbeat or registration renewed it in time). */
  get leaseHeld(): boolean {
    return this.#now() <= this.#leaseValidUntil;
  }

  /**
   * Reads this worker's shards from placement and acts on them (applyPlacement). Syncs
   * run one at a time; calls during a sync share the one that follows it.
   */
  syncPlacement(): Promise<PlacementApplied> {
    if (!this.#syncing) return this.#startSync();
    this.#nextSync ??= this.#syncing.catch(() => undefined).then(() => {
      this.#nextSync = undefined;
      return this.#startSync();
    });
    return this.#nextSync;
  }

  #startSync(): Promise<PlacementApplied> {
    const placement = this.#options.placement;
    if (!placement) return Promise.reject(new VectronError("failed_precondition", "this worker has no placement service configured"));
    const suspension = this.#suspension;
    const run = async () => {
      try {
        const { shards } = await placement.listWorkerShards({ workerId: this.#options.workerId });
        const applied = await this.applyPlacement(shards);
        if (suspension === this.#suspension) this.#suspended = false;
        return applied;
      } finally {
        this.#syncing = undefined;
      }
    };
    this.#syncing = run();
    return this.#syncing;
  }

  /**
   * Acts on placement's list of this worker's replicas: opens missing ones, applies their
   * payload index lists, takes up each role, and drops the replicas it no longer lists.
   * Call only with a list placement answered (never drop because a call failed).
   *
   * A replica that fails is logged and retried at the next sync, and the others go on.
   * The outcome says why a replica never set up here could not be created (a full disk,
   * say), so that the SyncPlacement RPC can fail: whoever asked for the replica
   * (CreateCollection) must hear of it to undo the create, rather than be told of a
   * collection with a shard nowhere. Heartbeat syncs carry on regardless.
   */
  async applyPlacement(listed: WorkerShard[]): Promise<PlacementApplied> {
    if (this.#closed) throw new VectronError("unavailable", "this worker is shutting down");
    const wanted = new Map<string, WorkerShard>();
    for (const shard of listed) wanted.set(shardKey(create(ShardRefSchema, { collectionId: shard.collectionId, shardId: shard.shardId })), shard);
    const failedCreations: unknown[] = [];
    await Promise.all(
      [...wanted].map(([key, shard]) => {
        // Its recorded state is written once it has opened (here or by OpenShard).
        const creating = !hasReplicaState(shardDirOf(this.#options.dataDir, key));
        return this.#reconcile(key, shard).catch((err) => {
          this.#log(`shard ${key}: placement sync failed: ${(err as Error).message}`);
          if (creating) failedCreations.push(diskFullForClient(key, err));
        });
      }),
    );
    for (const key of [...this.#controls.keys()]) {
      if (!wanted.has(key)) await this.dropped(key, "placement no longer lists it on this worker", true);
    }
    return failedCreations.length > 0 ? { shards: wanted.size, creationFailure: failedCreations[0] } : { shards: wanted.size };
  }

  async #reconcile(key: string, shard: WorkerShard): Promise<void> {
    const control = this.#controls.get(key) ?? this.#controls.set(key, this.#newControl(key, undefined)).get(key)!;
    const epoch = Number(shard.epoch);
    const primary = shard.role === ReplicaRole.PRIMARY;
    await control.turns.run(async () => {
      const isNew = !existsSync(control.dir);
      const indexes = shard.payloadIndexes.map((index, i) => payloadIndexOf(`payloadIndexes[${i}]`, index));
      await this.#options.shards.open(key, { dimension: shard.dimension, metric: distanceName(shard.distance, "distance") }, indexes);
      if (!readReplicaState(control.dir)) {
        // A replica created to copy a live shard holds nothing yet: no reads until it caught up.
        const copying = isNew && !primary && shard.state !== ListedState.ACTIVE;
        control.state = initialReplicaState(epoch, copying);
        writeReplicaState(control.dir, control.state);
      }
      await control.takeRole({
        epoch,
        primary,
        replicationFactor: shard.replicationFactor,
        members: shard.replicas.map((r) => ({ workerId: r.workerId, address: r.address, active: r.state === ListedState.ACTIVE })),
      });
    });
  }

  /** After OpenShard: the replica gets a control, and a recorded state if it has none. */
  async opened(key: string, epoch: number): Promise<void> {
    const control = this.#controls.get(key) ?? this.#controls.set(key, this.#newControl(key, undefined)).get(key)!;
    await control.turns.run(async () => {
      if (readReplicaState(control.dir)) return;
      control.state = initialReplicaState(epoch, false);
      writeReplicaState(control.dir, control.state);
    });
  }

  /** Ends the replica's role and forgets it; with `dropFiles`, also closes and deletes the shard. */
  async dropped(key: string, why: string, dropFiles: boolean): Promise<void> {
    const control = this.#controls.get(key);
    if (!control) return;
    await control.turns.run(async () => {
      await control.close(why);
      if (dropFiles) await this.#options.shards.drop(key);
      this.#controls.delete(key);
    });
  }

  /** The term a write of `ref.epoch` goes through, and its quorum; throws unless this replica may take it. */
  writeTerm(ref: ShardRef | undefined, requestedQuorum: number): { key: string; term: PrimaryTerm; quorum: number } {
    const { key, term } = this.#primaryOf(ref);
    return { key, term, quorum: term.writeQuorum(requestedQuorum) };
  }

  /** Checks a read: any replica not copying (eventual), or the confirmed primary of exactly `ref.epoch` (strong). */
  async checkRead(ref: ShardRef | undefined, anyReplica: boolean): Promise<string> {
    if (anyReplica) {
      const key = shardKey(ref);
      const control = this.#control(key);
      if (control.state.copying) throw new VectronError("unavailable", `shard ${key}: this replica is copying its primary's data and has not caught up`);
      return key;
    }
    const { key, term } = this.#primaryOf(ref);
    if (this.#now() > this.#leaseValidUntil) await term.confirm();
    return key;
  }

  /**
   * Before a write of quorum > 1 is acknowledged while the lease has expired: a write
   * that changed nothing (its sequence did not move) meets its quorum from old
   * acknowledgements without reaching a follower, so the epoch is confirmed as for a
   * strong read. A quorum of 1 never waits on followers (documented: not failover-safe).
   */
  async confirmWrite(term: PrimaryTerm, quorum: number): Promise<void> {
    if (quorum > 1 && this.#now() > this.#leaseValidUntil) await term.confirm();
  }

  #primaryOf(ref: ShardRef | undefined): { key: string; term: PrimaryTerm } {
    const key = shardKey(ref);
    const control = this.#control(key);
    const epoch = Number(ref?.epoch ?? 0n);
    const term = control.term;
    if (term && !term.ended && !this.#suspended && term.epoch === epoch) return { key, term };
    const self = !term
      ? `is not a primary (promised epoch ${control.state.promisedEpoch})`
      : this.#suspended
        ? `is the primary of epoch ${term.epoch} but suspended until it re-reads placement`
        : `is the primary of epoch ${term.epoch}`;
    throw new VectronError("failed_precondition", `shard ${key}: stale epoch: the request carries epoch ${epoch}, this replica ${self}`);
  }

  /** Runs `action` on a shard's control in its turn. */
  inTurn<T>(ref: ShardRef | undefined, action: (control: ReplicaControl) => Promise<T>): Promise<T> {
    const control = this.#control(shardKey(ref));
    return control.turns.run(() => action(control));
  }

  /** Replicate, follower side. */
  replicate(request: ReplicateRequest) {
    return this.inTurn(request.shard, (control) => control.replicate(request));
  }

  /** Whether the replica acts as primary now (GetShardStatus). */
  isActingPrimary(control: ReplicaControl): boolean {
    return control.term !== undefined && !control.term.ended && !this.#suspended && control.term.epoch === control.state.promisedEpoch;
  }

  /** Each replica on this worker: whether it acts as primary, and then its followers' progress (for metrics). */
  replicaReport(): { key: string; primary: boolean; followers: { workerId: string; acked: number | undefined }[] }[] {
    return [...this.#controls].map(([key, control]) => {
      const primary = this.isActingPrimary(control);
      return { key, primary, followers: primary ? control.term!.followerProgress() : [] };
    });
  }

  /** Ends every term (the worker is closing); waits for the streams to stop. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#controls.values()].map((control) => control.close(CLOSING)));
  }

  #control(key: string): ReplicaControl {
    if (this.#closed) throw new VectronError("unavailable", "this worker is shutting down");
    const control = this.#controls.get(key);
    if (!control) throw new VectronError("not_found", `shard ${key} is not open on this worker`);
    return control;
  }

  #newControl(key: string, state: ReturnType<typeof readReplicaState>): ReplicaControl {
    const deps = {
      workerId: this.#options.workerId,
      shards: this.#options.shards,
      workerClient: this.#options.workerClient,
      placement: this.#options.placement,
      limits: () => this.#limits,
      log: this.#log,
    };
    return new ReplicaControl(deps, key, shardDirOf(this.#options.dataDir, key), state ?? initialReplicaState(0, false));
  }
}
