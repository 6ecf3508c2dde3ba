import { expect } from "bun:test";
import type { Client } from "@connectrpc/connect";
import { shardOf } from "@vectron/api";
import { exactScore, type SiftSet } from "@vectron/datasets";
import type { CollectionPlacement } from "@vectron/proto/placement/v1";
import { ReplicaRole, ReplicaState, type VectronService } from "@vectron/proto/v1";
import type { ClusterWorkload, WrittenPoint } from "./cluster-workload";
import type { TestCluster } from "./test-cluster";

/** A collection as one user sees it: the owner (for placement) and the name. */
export interface CollectionRef {
  ownerId: string;
  name: string;
}

/**
 * Waits until every shard of the collection has `replicationFactor` active replicas, one
 * primary (by placement and by the worker's own account) and identical content on every
 * replica (same last sequence and digest). Returns the placement then.
 */
export async function waitForConvergence(cluster: TestCluster, ref: CollectionRef, timeoutMs = 90_000): Promise<CollectionPlacement> {
  const placement = cluster.placementClient();
  const deadline = Date.now() + timeoutMs;
  let why = "";
  while (Date.now() < deadline) {
    try {
      const { collection } = await placement.getCollection(ref);
      why = await divergence(cluster, collection!);
      if (!why) return collection!;
    } catch (err) {
      why = String(err);
    }
    await Bun.sleep(300);
  }
  throw new Error(`collection ${ref.name} did not converge within ${timeoutMs} ms: ${why}`);
}

/** Why the shards are not (yet) converged, or "" when they are. */
async function divergence(cluster: TestCluster, collection: CollectionPlacement): Promise<string> {
  for (const shard of collection.shards) {
    const replicas = shard.replicas;
    const listed = replicas.map((r) => `${r.workerId}:${ReplicaRole[r.role]}:${ReplicaState[r.state]}`).join(" ");
    if (replicas.length !== collection.replicationFactor) return `shard ${shard.shardId} has ${replicas.length} replicas (${listed})`;
    if (replicas.some((r) => r.state !== ReplicaState.ACTIVE)) return `shard ${shard.shardId} has replicas not active (${listed})`;
    if (replicas.filter((r) => r.role === ReplicaRole.PRIMARY).length !== 1) return `shard ${shard.shardId} has no single primary`;
    const statuses = await Promise.all(
      replicas.map((r) =>
        cluster.workerClient(r.address).getShardStatus({ shard: { collectionId: collection.id, shardId: shard.shardId }, withDigest: true }),
      ),
    );
    const primaryIndex = replicas.findIndex((r) => r.role === ReplicaRole.PRIMARY);
    if (statuses[primaryIndex]!.role !== ReplicaRole.PRIMARY) return `shard ${shard.shardId}: the listed primary does not act as one yet`;
    const actingPrimaries = statuses.filter((s) => s.role === ReplicaRole.PRIMARY).length;
    if (actingPrimaries !== 1) return `shard ${shard.shardId}: ${actingPrimaries} replicas act as primary`;
    const digests = new Set(statuses.map((s) => `${s.lastSeq}/${s.digest}`));
    if (digests.size !== 1) return `shard ${shard.shardId}: replicas differ (${[...digests].join(", ")})`;
  }
  return "";
}

/**
 * The checks after a fault, on a quiet cluster: every acknowledged write reads back
 * exactly (vector and payload); each unknown write is, per shard, wholly there or wholly
 * absent; nothing else is stored; and search finds the true neighbours.
 */
export async function checkData(client: Client<typeof VectronService>, collection: Pick<CollectionPlacement, "name" | "shardCount">, workload: Pick<ClusterWorkload, "acked" | "unknown">, sift: SiftSet): Promise<{ present: number; unknownPresent: number }> {
  const name = collection.name;
  const read = async (points: WrittenPoint[]) => {
    const found = new Map<string, { vector: number[]; payload: unknown }>();
    for (let at = 0; at < points.length; at += 500) {
      const { points: got } = await client.get({ collection: name, ids: points.slice(at, at + 500).map((p) => p.id) });
      for (const p of got) found.set(p.id, { vector: p.vector, payload: p.payload });
    }
    return found;
  };
  const expectExact = (point: WrittenPoint, stored: { vector: number[]; payload: unknown } | undefined) => {
    expect(stored, `point ${point.id}`).toBeDefined();
    expect(Array.from(Float32Array.from(stored!.vector))).toEqual(Array.from(sift.base[point.row]!));
    expect(stored!.payload).toEqual(point.payload);
  };

  const acked = workload.acked();
  const ackedFound = await read(acked);
  for (const point of acked) expectExact(point, ackedFound.get(point.id));

  let unknownPresent = 0;
  const present: WrittenPoint[] = [...acked];
  for (const batch of workload.unknown()) {
    const found = await read(batch.points);
    const byShard = new Map<number, WrittenPoint[]>();
    for (const point of batch.points) {
      const shard = shardOf(point.id, collection.shardCount);
      byShard.set(shard, [...(byShard.get(shard) ?? []), point]);
    }
    for (const [shard, points] of byShard) {
      const there = points.filter((p) => found.has(p.id));
      // A write reaches a shard in one transaction: all of its part, or none.
      expect(there.length === 0 || there.length === points.length, `batch ${batch.batch} shard ${shard}: ${there.length}/${points.length}`).toBe(true);
      for (const point of there) expectExact(point, found.get(point.id));
      present.push(...there);
      unknownPresent += there.length;
    }
  }
  const { count } = await client.count({ collection: name });
  expect(Number(count)).toBe(present.length);
  expect(searchRecall(await searchAll(client, name, sift), present, sift)).toBeGreaterThanOrEqual(0.95);
  return { present: present.length, unknownPresent };
}

async function searchAll(client: Client<typeof VectronService>, name: string, sift: SiftSet) {
  const queries = sift.queries.slice(0, 40);
  const answers = await Promise.all(queries.map((q) => client.search({ collection: name, vector: Array.from(q), topK: 10, withPayload: true })));
  return queries.map((query, i) => ({ query, rows: answers[i]!.results.map((hit) => (hit.payload as { row: number }).row) }));
}

/**
 * recall@10 by distance: SIFT rows repeat (the workload cycles through them), so the true
 * top 10 has ties; a hit counts when it is as close as the 10th true neighbour.
 */
function searchRecall(answers: { query: Float32Array; rows: number[] }[], present: WrittenPoint[], sift: SiftSet): number {
  const rows = present.map((p) => p.row);
  let found = 0;
  let asked = 0;
  for (const { query, rows: hitRows } of answers) {
    const distances = rows.map((row) => exactScore("euclidean", query, sift.base[row]!)).sort((a, b) => a - b);
    const k = Math.min(10, distances.length);
    const bound = distances[k - 1]! * (1 + 1e-6) + 1e-6;
    found += Math.min(k, hitRows.filter((row) => exactScore("euclidean", query, sift.base[row]!) <= bound).length);
    asked += k;
  }
  return asked === 0 ? 1 : found / asked;
}
