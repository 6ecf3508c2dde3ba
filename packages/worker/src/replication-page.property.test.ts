import { expect, test } from "bun:test";
import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { ApplyWritesRequestSchema, GetShardStatusRequestSchema, type ReplicateRequest } from "@vectron/proto/worker/v1";
import { collectionId, eventually, record, ReplicaState, TestCluster } from "./test-cluster";
import type { WorkerNode } from "./worker-node";

/**
 * Pages end at commit boundaries: random batches (upserts and deletes over a small id
 * space, so later commits overwrite earlier ones' ids) are committed on a primary, some
 * concurrently so group commit merges them; then a new follower copies the shard through
 * the real stream. Every through_seq it receives must be a commit end (the sequences the
 * writes were acknowledged at), except a full page inside which no commit ends (a commit
 * larger than a page must be split). A page cut at its last change, as before, fails this
 * whenever that change is not the last of its commit.
 */

const idArb = fc.integer({ min: 0, max: 14 }).map((i) => `p${i}`);
const batchArb = fc.record({
  upserts: fc.array(fc.record({ id: idArb, x: fc.integer({ min: -9, max: 9 }) }), { maxLength: 14 }),
  deletes: fc.array(idArb, { maxLength: 4 }),
});
const scenarioArb = fc.record({
  maxChanges: fc.integer({ min: 2, max: 9 }),
  // Each round's batches are issued together (merged by group commit when they meet).
  rounds: fc.array(fc.array(batchArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
});

const ref = { collectionId, shardId: 0, epoch: 1n };

async function lastSeqAndDigest(node: WorkerNode): Promise<string> {
  const s = await node.service.getShardStatus(create(GetShardStatusRequestSchema, { shard: ref, withDigest: true }));
  return `${s.lastSeq}/${s.digest}`;
}

test("every page a follower receives ends at a commit end of the primary when one inside it is known", async () => {
  let cutAtCommitEnd = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async ({ maxChanges, rounds }) => {
      const cluster = new TestCluster({ maxChangesPerReplicate: maxChanges });
      try {
        const a = await cluster.start("a");
        await cluster.place(1, "a", { a: ReplicaState.ACTIVE });
        const commitEnds = new Set<number>([0]);
        for (const batches of rounds) {
          const acks = await Promise.all(
            batches.map(({ upserts, deletes }) =>
              a.service.applyWrites(create(ApplyWritesRequestSchema, { shard: ref, upserts: upserts.map(({ id, x }) => record(id, x)), deletes, writeQuorum: 1 })),
            ),
          );
          for (const ack of acks) commitEnds.add(Number(ack.lastSeq));
        }

        const received: ReplicateRequest[] = [];
        cluster.onAnswered = (call) => {
          if (call.to === "d" && call.method === "replicate") received.push(call.request as ReplicateRequest);
        };
        const d = await cluster.start("d");
        await cluster.place(1, "a", { a: ReplicaState.ACTIVE, d: ReplicaState.SYNCING });
        await eventually("the follower copied the shard", async () => (await lastSeqAndDigest(d)) === (await lastSeqAndDigest(a)));

        for (const page of received) {
          const throughSeq = Number(page.throughSeq);
          if (commitEnds.has(throughSeq)) {
            if (!page.atPrimaryEnd) cutAtCommitEnd++;
            continue;
          }
          // Not at a commit end: only a full page inside which no commit ends.
          expect(page.atPrimaryEnd).toBe(false);
          const firstSeq = Number(page.changes[0]!.seq);
          expect([...commitEnds].filter((end) => end >= firstSeq && end <= throughSeq)).toEqual([]);
          expect(Number(page.changes.at(-1)!.seq)).toBe(throughSeq);
        }
      } finally {
        await cluster.closeAll();
      }
    }),
    { numRuns: 25 },
  );
  // Not vacuous: full pages were cut at commit ends.
  expect(cutAtCommitEnd).toBeGreaterThan(0);
}, 60_000);
