/**
 * Shared by this package's replication tests only (not exported, not a test file
 * itself): several real worker nodes (real stores in temp dirs, real WorkerService
 * objects) that reach each other through in-process clients (local-client), with links
 * that can be cut like a network partition, and placement listings built the way
 * placement lists them (WorkerShard messages) to hand to ReplicationEngine.applyPlacement.
 */
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { createLocalClient, type ContextFreeImpl } from "@vectron/local-client";
import { WorkerShardSchema, type WorkerShard } from "@vectron/proto/placement/v1";
import { Distance, PayloadIndexKind, ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import { PointRecordSchema, WorkerService } from "@vectron/proto/worker/v1";
import { float32ToBytes } from "@vectron/vector-bytes";
import { makeTempDir } from "./test-shard";
import { startWorkerNode, type WorkerNode } from "./worker-node";

export const collectionId = "0b5c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d";
export const dimension = 2;

export interface ClusterOptions {
  writeQuorumTimeoutMs?: number;
  shardThreads?: number;
  maxChangesPerReplicate?: number;
  maxSnapshotStreams?: number;
}

/** A call one worker made to another and its answer, as the network between them saw it. */
export interface ObservedCall {
  from: string;
  to: string;
  method: string;
  request: unknown;
  response: unknown;
}

/** A point record with vector [x, x] and payload {"x": x}. */
export function record(id: string, x: number) {
  return create(PointRecordSchema, {
    id,
    vector: float32ToBytes(new Float32Array(dimension).fill(x)),
    payload: new TextEncoder().encode(JSON.stringify({ x })),
  });
}

/** Polls `check` until it returns true (every 20 ms, at most `ms`); throws with `what` otherwise. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await Bun.sleep(20);
  }
}

export class TestCluster {
  readonly nodes = new Map<string, WorkerNode>();
  readonly logs = new Map<string, string[]>();
  readonly #dirs = new Map<string, { dir: string; cleanup: () => void }>();
  /** Links cut, as `from>to`. */
  readonly #cut = new Set<string>();
  /**
   * Called with every call between workers that was answered, before the caller gets
   * the answer (so cutting a link here stops the very next call).
   */
  onAnswered: ((call: ObservedCall) => void) | undefined;

  constructor(private readonly options: ClusterOptions = {}) {}

  static address(id: string): string {
    return `http://${id}.workers.test:8080`;
  }

  /** Starts worker `id` (on its existing data dir after a stop), with its lease trusted. */
  async start(id: string): Promise<WorkerNode> {
    let temp = this.#dirs.get(id);
    if (!temp) this.#dirs.set(id, (temp = makeTempDir(`vectron-${id}-`)));
    const log = this.logs.get(id) ?? [];
    this.logs.set(id, log);
    const node = await startWorkerNode({
      dataDir: temp.dir,
      workerId: id,
      address: TestCluster.address(id),
      shardThreads: this.options.shardThreads ?? 0,
      writeQuorumTimeoutMs: this.options.writeQuorumTimeoutMs ?? 10_000,
      maxChangesPerReplicate: this.options.maxChangesPerReplicate,
      maxSnapshotStreams: this.options.maxSnapshotStreams,
      workerClient: (address) => this.#client(id, address),
      log: (message) => log.push(message),
    });
    node.replication.noteLease(Number.POSITIVE_INFINITY, 400);
    this.nodes.set(id, node);
    return node;
  }

  /** Worker `id`'s data directory (kept across its restarts). */
  dataDir(id: string): string {
    const temp = this.#dirs.get(id);
    if (!temp) throw new Error(`worker ${id} was never started`);
    return temp.dir;
  }

  node(id: string): WorkerNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`worker ${id} is not running`);
    return node;
  }

  /** Closes worker `id`; its data dir stays for a restart. */
  async stop(id: string): Promise<void> {
    const node = this.nodes.get(id);
    this.nodes.delete(id);
    await node?.close();
  }

  /** Cuts (or heals) the link from one worker to another: calls over it throw. */
  cut(from: string, to: string, isCut = true): void {
    if (isCut) this.#cut.add(`${from}>${to}`);
    else this.#cut.delete(`${from}>${to}`);
  }

  /**
   * Gives every listed worker that is running its listing of the shard: `primary` is
   * primary of `epoch`, the others followers, each in the given placement state.
   */
  async place(epoch: number, primary: string, members: Record<string, ReplicaState>, shardId = 0): Promise<void> {
    const listings = this.listings(epoch, primary, members, shardId);
    for (const [id, shards] of listings) await this.nodes.get(id)?.replication.applyPlacement(shards);
  }

  /** Each member's WorkerShard list for one shard (what ListWorkerShards answers). */
  listings(epoch: number, primary: string, members: Record<string, ReplicaState>, shardId = 0): Map<string, WorkerShard[]> {
    const replicas = Object.entries(members).map(([workerId, state]) => ({
      workerId,
      address: TestCluster.address(workerId),
      role: workerId === primary ? ReplicaRole.PRIMARY : ReplicaRole.FOLLOWER,
      state,
    }));
    const result = new Map<string, WorkerShard[]>();
    for (const replica of replicas) {
      const shard = create(WorkerShardSchema, {
        collectionId,
        shardId,
        dimension,
        distance: Distance.EUCLIDEAN,
        role: replica.role,
        payloadIndexes: [{ key: "x", kind: PayloadIndexKind.INTEGER }],
        epoch: BigInt(epoch),
        replicationFactor: replicas.length,
        state: replica.state,
        replicas,
      });
      result.set(replica.workerId, [shard]);
    }
    return result;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.nodes.keys()]) await this.stop(id);
    for (const { cleanup } of this.#dirs.values()) cleanup();
  }

  /**
   * A client of the worker at `address` as seen from `from`: each call goes to whatever
   * node runs there at that moment, and fails like a refused connection when none does
   * or the link is cut.
   */
  #client(from: string, address: string): Client<typeof WorkerService> {
    const id = [...this.#dirs.keys()].find((candidate) => TestCluster.address(candidate) === address);
    const route = {} as Record<string, (request: unknown) => Promise<unknown>>;
    for (const method of WorkerService.methods) {
      route[method.localName] = async (request) => {
        const node = id === undefined ? undefined : this.nodes.get(id);
        if (!node || this.#cut.has(`${from}>${id}`)) throw new Error(`connect ECONNREFUSED ${address}`);
        const response = await (node.service as unknown as Record<string, (request: unknown) => Promise<unknown>>)[method.localName]!(request);
        this.onAnswered?.({ from, to: id!, method: method.localName, request, response });
        return response;
      };
    }
    return createLocalClient(WorkerService, route as unknown as ContextFreeImpl<typeof WorkerService>);
  }
}

export { ReplicaState };
