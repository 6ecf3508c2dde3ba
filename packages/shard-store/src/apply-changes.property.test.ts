import { afterEach, expect, test } from "bun:test";
import fc from "fast-check";
import type { PayloadFilter } from "@vectron/payload-filter";
import { openShardStore, type ShardStore, type ShardStoreOptions } from "./index";
import { makeTempDir } from "./test-fixtures";

/**
 * Replication at the store level: a follower fed the primary's change log (changesSince
 * pages of arbitrary sizes, through_seq as the worker's replication stream computes it)
 * through applyChanges ends with the primary's content (digest), last sequence and
 * change log, whatever the interleaving of primary writes, page sizes, follower restarts
 * (clean and crash-like) and index saves. Tombstones delete on the follower.
 */

const dimension = 3;
const idArb = fc.constantFrom("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "é", "z1");
const vectorArb = fc
  .array(fc.integer({ min: -8, max: 8 }), { minLength: dimension, maxLength: dimension })
  .map((xs) => Float32Array.from(xs, (x, i) => x / 2 + (i === 0 ? 0.25 : 0)));
const stepArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("write" as const),
      upserts: fc.array(fc.record({ id: idArb, vector: vectorArb, tag: fc.constantFrom("x", "y", "z") }), { maxLength: 6 }),
      deletes: fc.array(idArb, { maxLength: 3 }),
    }),
  },
  // A payload update: same vector, new payload (what UpdatePayloads commits).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("payload" as const), id: idArb, tag: fc.constantFrom("x", "y", "z") }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("sync" as const), pageSize: fc.integer({ min: 1, max: 7 }) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "reopen" as const }, { kind: "abandon" as const }, { kind: "save" as const }) },
);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** One page of the primary's log after `acked`, as the replication stream builds it. */
function pageOf(primary: ShardStore, acked: number, pageSize: number) {
  const changes = primary.changesSince(acked, pageSize);
  const throughSeq = changes.length < pageSize ? primary.lastSeq() : changes.at(-1)!.seq;
  return { changes, throughSeq };
}

function openPair() {
  const primaryDir = makeTempDir();
  const followerDir = makeTempDir();
  cleanups.push(primaryDir.cleanup, followerDir.cleanup);
  const followerOptions: ShardStoreOptions = { dir: followerDir.dir, dimension, metric: "euclidean" };
  const primary = openShardStore({ dir: primaryDir.dir, dimension, metric: "euclidean" });
  primary.createPayloadIndex("tag", "keyword");
  const follower = openShardStore(followerOptions);
  follower.createPayloadIndex("tag", "keyword");
  return { primary, follower, followerOptions };
}

test("a follower fed change pages of any size converges to the primary's digest, last sequence and log", () => {
  fc.assert(
    fc.property(fc.array(stepArb, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (steps, finalPage) => {
      let { primary, follower, followerOptions } = openPair();
      try {
        for (const step of steps) {
          if (step.kind === "write") {
            primary.apply(
              step.upserts.map((u) => ({ id: u.id, vector: u.vector, payload: JSON.stringify({ tag: u.tag }) })),
              step.deletes,
            );
          } else if (step.kind === "payload") {
            const [current] = primary.get([step.id], { payload: false, vector: true });
            if (current) primary.apply([{ id: step.id, vector: current.vector!, payload: JSON.stringify({ tag: step.tag, p: 1 }) }], []);
          } else if (step.kind === "sync") {
            const page = pageOf(primary, follower.lastSeq(), step.pageSize);
            expect(follower.applyChanges(page.changes, page.throughSeq)).toEqual({ lastSeq: page.throughSeq });
            // A page that reached the primary's end leaves the follower equal to it.
            if (page.throughSeq === primary.lastSeq()) expect(follower.digest()).toBe(primary.digest());
          } else if (step.kind === "save") {
            follower.saveIndex();
          } else {
            if (step.kind === "reopen") follower.close();
            follower = openShardStore(followerOptions);
          }
        }
        while (follower.lastSeq() < primary.lastSeq()) {
          const page = pageOf(primary, follower.lastSeq(), finalPage);
          follower.applyChanges(page.changes, page.throughSeq);
        }
        expect(follower.lastSeq()).toBe(primary.lastSeq());
        expect(follower.digest()).toBe(primary.digest());
        expect(follower.count()).toBe(primary.count());
        expect(follower.changesSince(0, 1000)).toEqual(primary.changesSince(0, 1000));
        const byTag: PayloadFilter = { must: [{ key: "tag", path: ["tag"], test: { kind: "equals", values: ["x"] } }], should: [], mustNot: [] };
        expect(follower.count(byTag)).toBe(primary.count(byTag));
        const query = new Float32Array([0.5, -1, 2]);
        const ids = (store: ShardStore) => store.search(query, 20, { payload: false, vector: false }).map((h) => h.id).sort();
        expect(ids(follower)).toEqual(ids(primary));
        // Still equal after a crash-like reopen (no close, no saved index).
        follower = openShardStore(followerOptions);
        expect(follower.digest()).toBe(primary.digest());
        expect(ids(follower)).toEqual(ids(primary));
      } finally {
        primary.close();
        follower.close();
      }
    }),
    { numRuns: 80 },
  );
}, 60_000);
