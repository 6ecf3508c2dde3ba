/**
 * Group commit: N concurrent writers (1, 16, 64), each upserting single 128-d SIFT
 * points into one shard through the worker service's ApplyWrites, with the shard's
 * write queue (concurrent requests share one transaction and one fsync) and without it
 * (one transaction per request). Each request is acknowledged only once committed
 * durably (WAL, synchronous=FULL), so every figure is of durable writes.
 *
 * Reported per row: points/s, ack latency p50/p99 (µs, as the writer sees it) and
 * points per transaction (distinct `lastSeq` values in the acknowledgements: requests
 * of one transaction all report its sequence). Median of 3 repetitions, each on a
 * fresh shard, after a warm-up pass.
 *
 * Run: bun bench/group-commit.ts [points-per-pass]   (default 2,000)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { loadSift, siftPayload } from "@vectron/datasets";
import { WorkerShardSchema } from "@vectron/proto/placement/v1";
import { Distance, ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import { ApplyWritesRequestSchema, PointRecordSchema } from "@vectron/proto/worker/v1";
import { float32ToBytes } from "@vectron/vector-bytes";
import { startWorkerNode } from "@vectron/worker";
import { closedLoop } from "./closed-loop";
import { describeMachine } from "./machine";
import { formatNumber } from "./number-format";
import { median, medianSummary, summarize, type Summary } from "./timing";

const writerCounts = [1, 16, 64];
const repetitions = 3;
const pointsPerPass = Number(process.argv[2] ?? 2_000);
const shard = { collectionId: "00000000-0000-4000-8000-000000000001", shardId: 0, epoch: 1n };
const workerId = "bench-worker";
const address = "http://127.0.0.1:1";

const machine = describeMachine();
const sift = await loadSift();
const utf8 = new TextEncoder();
// Built once: the benchmark times the worker, not message construction.
const requests = sift.base.map((vector, i) =>
  create(ApplyWritesRequestSchema, {
    shard,
    upserts: [
      create(PointRecordSchema, {
        id: sift.baseIds[i]!,
        vector: float32ToBytes(vector),
        payload: utf8.encode(JSON.stringify(siftPayload(i, sift.baseIds[i]!))),
      }),
    ],
  }),
);
if (pointsPerPass > requests.length) throw new Error(`at most ${requests.length} points per pass`);

/** One pass on a fresh worker and shard: `writers` closed-loop writers, one point per request. */
async function pass(writers: number, groupCommit: boolean): Promise<Summary & { perTransaction: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "vectron-group-commit-"));
  const node = await startWorkerNode({ dataDir, groupCommit, workerId, address });
  try {
    // The sole replica, primary of epoch 1, as placement would list it for a one-node collection.
    node.replication.noteLease(Number.POSITIVE_INFINITY, 0);
    await node.replication.applyPlacement([
      create(WorkerShardSchema, {
        collectionId: shard.collectionId,
        shardId: shard.shardId,
        dimension: 128,
        distance: Distance.EUCLIDEAN,
        role: ReplicaRole.PRIMARY,
        epoch: shard.epoch,
        replicationFactor: 1,
        state: ReplicaState.ACTIVE,
        replicas: [{ workerId, address, role: ReplicaRole.PRIMARY, state: ReplicaState.ACTIVE }],
      }),
    ]);
    const seqs = new Set<bigint>();
    const result = await closedLoop(pointsPerPass, writers, async (i) => {
      const response = await node.service.applyWrites(requests[i]!);
      seqs.add(response.lastSeq);
    });
    return { ...summarize(result), perTransaction: pointsPerPass / seqs.size };
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `Machine: ${machine.cpuModel}, nproc ${machine.nproc}, Bun ${machine.bunVersion}, ${machine.platform}; ` +
    `load average ${machine.loadAverage.toFixed(2)} before the run. ${formatNumber(pointsPerPass)} single-point ` +
    `upserts per pass, median of ${repetitions}.\n`,
);
console.log("| Writers | Group commit | Points/s | Ack p50 (µs) | Ack p99 (µs) | Points per transaction |");
console.log("|---:|---|---:|---:|---:|---:|");
for (const writers of writerCounts) {
  for (const groupCommit of [false, true]) {
    await pass(writers, groupCommit); // warm-up: JIT, page cache, SQLite and usearch setup
    const runs = [];
    for (let r = 0; r < repetitions; r++) runs.push(await pass(writers, groupCommit));
    const summary = medianSummary(runs);
    const perTransaction = median(runs.map((run) => run.perTransaction));
    console.log(
      `| ${writers} | ${groupCommit ? "yes" : "no"} | ${formatNumber(summary.perSecond)} | ` +
        `${formatNumber(summary.p50Us ?? NaN)} | ${formatNumber(summary.p99Us ?? NaN)} | ${formatNumber(perTransaction, 1)} |`,
    );
  }
}
