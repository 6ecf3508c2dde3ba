/**
 * Read consistency and partial results in a cluster of real processes: eventual reads
 * answer from followers while a shard's primary is down (before any failover), and a
 * search over a shard with no live replica fails with UNAVAILABLE, or with allowPartial
 * answers from the other shards and names the missing one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { Distance, ReadConsistency, ReplicaRole } from "@vectron/proto/v1";
import { shardOf } from "@vectron/api";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { TestCluster } from "./support/test-cluster";

const TIMEOUT_MS = 120_000;
const points = Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, vector: [i, 1, 0, 0], payload: { i } }));

describe("cluster reads", () => {
  let cluster: TestCluster;
  let apiKey: string;
  let ownerId: string;

  beforeAll(async () => {
    // A long failover wait: the primary stays down for the whole test, nothing moves.
    cluster = await TestCluster.start({ placements: 1, workers: 2, env: { VECTRON_LEASE_MS: "60000", VECTRON_ROUTE_RETRY_MS: "1000" } });
    const account = await newAccount(cluster.workers[0]!.baseUrl, "reads");
    apiKey = account.apiKey;
    ownerId = account.user.id;
    const client = connectClients(cluster.workers[0]!.baseUrl, apiKey, "connect-binary").vectron;
    await client.createCollection({ name: "replicated", dimension: 4, distance: Distance.EUCLIDEAN, shardCount: 2, replicationFactor: 2 });
    await client.createCollection({ name: "single", dimension: 4, distance: Distance.EUCLIDEAN, shardCount: 2, replicationFactor: 1 });
    // Every write acknowledged by both replicas, so the follower holds it too.
    await client.upsert({ collection: "replicated", points, writeQuorum: 2 });
    await client.upsert({ collection: "single", points });
  }, TIMEOUT_MS);

  afterAll(() => cluster?.stop(), TIMEOUT_MS);

  test("with a primary down: eventual reads answer from the follower, strong reads of that shard fail", async () => {
    const { collection } = await cluster.placementClient().getCollection({ ownerId, name: "replicated" });
    const shard = collection!.shards[0]!;
    const primary = shard.replicas.find((r) => r.role === ReplicaRole.PRIMARY)!;
    const down = cluster.workers.find((w) => w.baseUrl === primary.address)!;
    const up = cluster.workers.find((w) => w !== down)!;
    await down.process.kill9();
    const client = connectClients(up.baseUrl, apiKey, "connect-binary").vectron;

    const eventual = await client.count({ collection: "replicated", consistency: ReadConsistency.EVENTUAL });
    expect(Number(eventual.count)).toBe(points.length);
    const search = await client.search({ collection: "replicated", vector: [3, 1, 0, 0], topK: 3, consistency: ReadConsistency.EVENTUAL });
    expect(search.results[0]!.id).toBe("p3");
    expect(search.results.map((hit) => hit.id).sort()).toEqual(["p2", "p3", "p4"]);
    const onDownShard = points.filter((p) => shardOf(p.id, 2) === shard.shardId).map((p) => p.id);
    const got = await client.get({ collection: "replicated", ids: onDownShard, consistency: ReadConsistency.EVENTUAL });
    expect(got.points.map((p) => p.id)).toEqual(onDownShard);

    const strong = await client.get({ collection: "replicated", ids: onDownShard }).then(() => undefined, (err: unknown) => err);
    expect(strong).toBeInstanceOf(ConnectError);

    // The collection with one replica per shard: that shard has no replica left at all.
    const { collection: single } = await cluster.placementClient().getCollection({ ownerId, name: "single" });
    const lost = single!.shards.find((s) => s.replicas[0]!.address === down.baseUrl)!.shardId;
    const failed = await client.search({ collection: "single", vector: [3, 1, 0, 0], topK: 5 }).then(() => undefined, (err: unknown) => err);
    expect(failed).toBeInstanceOf(ConnectError);
    expect([Code.Unavailable, Code.Unknown, Code.DeadlineExceeded]).toContain((failed as ConnectError).code);

    const partial = await client.search({ collection: "single", vector: [3, 1, 0, 0], topK: 5, allowPartial: true });
    expect(partial.missingShards).toEqual([lost]);
    expect(partial.results.length).toBe(5);
    for (const hit of partial.results) expect(shardOf(hit.id, 2)).not.toBe(lost);
  }, TIMEOUT_MS);
});
