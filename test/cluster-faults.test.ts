/**
 * The cluster under faults, with real processes on loopback: a fresh Postgres database,
 * two placement processes and three (later four) workers, each worker also serving the
 * public API. Clients upsert and search continuously; after each fault the cluster must
 * heal, and then every acknowledged write reads back exactly, no unknown write is there
 * in part, replicas hold identical content (digests) and search keeps its recall.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { loadSift, type SiftSet } from "@vectron/datasets";
import { Distance, ReplicaRole } from "@vectron/proto/v1";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { newAccount } from "./support/accounts";
import { checkData, waitForConvergence, type CollectionRef } from "./support/cluster-checks";
import { ClusterWorkload } from "./support/cluster-workload";
import { connectClients } from "./support/connect-clients";
import { TestCluster, type ClusterNode } from "./support/test-cluster";

const PHASE_MS = 120_000;

describe("cluster under faults", () => {
  let cluster: TestCluster;
  let sift: SiftSet;
  let account: Awaited<ReturnType<typeof newAccount>>;
  let ref: CollectionRef;
  let workload: ClusterWorkload;

  const liveApiUrls = () => cluster.workers.filter((w) => !down.has(w)).map((w) => w.baseUrl);
  const down = new Set<ClusterNode>();
  const client = () => connectClients(liveApiUrls()[0]!, account.apiKey, "connect-binary").vectron;
  const workerAt = (address: string) => cluster.workers.find((w) => w.baseUrl === address)!;
  /** A replica of shard `index` in the role asked, as placement lists it now, and the node holding it. */
  async function replicaOf(index: number, role: ReplicaRole) {
    const { collection } = await cluster.placementClient().getCollection(ref);
    const shard = collection!.shards[index]!;
    const replica = shard.replicas.find((r) => r.role === role)!;
    return { shard, replica, node: workerAt(replica.address) };
  }

  /** Stops the workload, waits for the cluster to heal, checks everything, resumes. */
  async function settleAndCheck(label: string): Promise<CollectionPlacement> {
    await workload.pause();
    const placement = await waitForConvergence(cluster, ref).catch((err) => {
      // What placement and the workers said is the first thing to read when a phase fails.
      for (const node of [...cluster.placements, ...cluster.workers]) {
        const lines = node.process.output().split("\n").filter((line) => !line.includes("steps down"));
        console.log(`---- ${node.name} (last lines)\n${lines.slice(-60).join("\n")}`);
      }
      throw err;
    });
    const result = await checkData(client(), placement, workload, sift);
    console.log(`[cluster] ${label}: ${result.present} points (${result.unknownPresent} of unknown writes), ${workload.batches.length} batches, ${workload.unknown().length} unknown, ${workload.searches} searches, ${workload.searchErrors.length} search errors`);
    workload.resume();
    return placement;
  }

  beforeAll(async () => {
    sift = await loadSift();
    cluster = await TestCluster.start({ placements: 2, workers: 3 });
    account = await newAccount(cluster.workers[0]!.baseUrl, "cluster");
    ref = { ownerId: account.user.id, name: "faults" };
    await connectClients(cluster.workers[0]!.baseUrl, account.apiKey).vectron.createCollection({
      name: "faults",
      dimension: 128,
      distance: Distance.EUCLIDEAN,
      shardCount: 2,
      replicationFactor: 3,
    });
    workload = new ClusterWorkload(liveApiUrls, account.apiKey, "faults", sift);
    workload.start();
  }, PHASE_MS);

  afterAll(async () => {
    await workload?.pause();
    await cluster?.stop();
  }, PHASE_MS);

  test("steady state: writes and searches on three replicas", async () => {
    await Bun.sleep(3000);
    const placement = await settleAndCheck("steady");
    expect(workload.acked().length).toBeGreaterThan(0);
    for (const shard of placement.shards) expect(shard.replicas.length).toBe(3);
  }, PHASE_MS);

  test("kill -9 of a follower, then its restart", async () => {
    const { node } = await replicaOf(0, ReplicaRole.FOLLOWER);
    down.add(node);
    await node.process.kill9();
    await Bun.sleep(3000);
    await cluster.restart(node);
    down.delete(node);
    await settleAndCheck("follower killed");
  }, PHASE_MS);

  test("kill -9 of a primary: a follower is promoted under a new epoch", async () => {
    const { shard, replica: primary, node } = await replicaOf(0, ReplicaRole.PRIMARY);
    down.add(node);
    await node.process.kill9();
    await Bun.sleep(6000);
    await cluster.restart(node);
    down.delete(node);
    const placement = await settleAndCheck("primary killed");
    const after = placement.shards[0]!;
    expect(after.epoch).toBeGreaterThan(shard.epoch);
    expect(after.replicas.find((r) => r.role === ReplicaRole.PRIMARY)!.workerId).not.toBe(primary.workerId);
  }, PHASE_MS);

  test("kill -9 of the leading placement process: the other one takes over", async () => {
    const placement = cluster.placementClient();
    const status = await placement.getPlacementStatus({});
    const leader = cluster.placements.find((p) => p.process.output().includes(status.leaderNodeId)) ?? cluster.placements[0]!;
    await leader.process.kill9();
    const deadline = Date.now() + 30_000;
    let next = "";
    while (Date.now() < deadline) {
      const now = await placement.getPlacementStatus({}).catch(() => undefined);
      if (now?.leading && now.nodeId !== status.leaderNodeId) {
        next = now.nodeId;
        break;
      }
      await Bun.sleep(300);
    }
    expect(next).not.toBe("");
    await cluster.restart(leader);
    await settleAndCheck("placement leader killed");
  }, PHASE_MS);

  test("Postgres unreachable beyond the lease: reads and writes go on with the cached shard map", async () => {
    const acked = workload.acked().length;
    const searches = workload.searches;
    await cluster.database.setReachable(false);
    try {
      await Bun.sleep(5000);
    } finally {
      await cluster.database.setReachable(true);
    }
    const ackedMeanwhile = workload.acked().length - acked;
    const searchesMeanwhile = workload.searches - searches;
    console.log(`[cluster] during the Postgres outage: ${ackedMeanwhile} points acknowledged, ${searchesMeanwhile} searches answered`);
    expect(ackedMeanwhile).toBeGreaterThan(0);
    expect(searchesMeanwhile).toBeGreaterThan(0);
    await settleAndCheck("postgres outage");
  }, PHASE_MS);

  test("SIGSTOP of a primary beyond its lease, then SIGCONT: no split brain", async () => {
    const { shard, node } = await replicaOf(1, ReplicaRole.PRIMARY);
    down.add(node);
    node.process.signal("SIGSTOP");
    await Bun.sleep(6000);
    node.process.signal("SIGCONT");
    down.delete(node);
    await Bun.sleep(2000);
    const placement = await settleAndCheck("primary paused");
    expect(placement.shards[1]!.epoch).toBeGreaterThan(shard.epoch);
  }, PHASE_MS);

  test("a worker's data directory wiped: its replicas are copied again", async () => {
    const node = cluster.workers[2]!;
    down.add(node);
    await node.process.kill9();
    cluster.wipe(node);
    await cluster.restart(node);
    down.delete(node);
    await settleAndCheck("worker wiped");
  }, PHASE_MS);

  test("a fourth worker joins and receives replicas; a drained worker gives all of its away", async () => {
    const joined = await cluster.addWorker();
    const placement = cluster.placementClient();
    let holds = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && holds === 0) {
      const { workers } = await placement.listWorkers({});
      holds = workers.find((w) => w.address === joined.baseUrl)?.replicaCount ?? 0;
      await Bun.sleep(300);
    }
    expect(holds).toBeGreaterThan(0);
    await settleAndCheck("worker joined");

    const { collection } = await placement.getCollection(ref);
    const drained = collection!.shards[0]!.replicas.find((r) => r.role === ReplicaRole.PRIMARY)!;
    await placement.setWorkerDraining({ workerId: drained.workerId, draining: true });
    let left = -1;
    const drainDeadline = Date.now() + 90_000;
    while (Date.now() < drainDeadline && left !== 0) {
      const { workers } = await placement.listWorkers({});
      left = workers.find((w) => w.id === drained.workerId)?.replicaCount ?? -1;
      await Bun.sleep(300);
    }
    expect(left).toBe(0);
    const after = await settleAndCheck("worker drained");
    for (const shard of after.shards) expect(shard.replicas.map((r) => r.workerId)).not.toContain(drained.workerId);

    // The operator's view, through the CLI.
    const cli = Bun.spawnSync(
      [process.execPath, join(import.meta.dir, "..", "apps", "vectron", "src", "main.ts"), "cluster", "workers", "--placement", cluster.placementUrls()],
      { env: { ...process.env, VECTRON_CLUSTER_SECRET: cluster.clusterSecret } },
    );
    const table = cli.stdout.toString();
    expect(cli.exitCode).toBe(0);
    expect(table).toMatch(new RegExp(`${drained.workerId}\\s+true\\s+true\\s+0\\s`));
  }, PHASE_MS * 2);
});
