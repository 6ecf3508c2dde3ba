/**
 * Test fixture (not a test): a process that writes a deterministic workload to a shard
 * store and then dies by SIGKILL, without closing it. crash.test.ts spawns it and checks
 * what survives. Usage: bun crash-child.ts <dir> <mode>
 *   self-kill: applies every batch (saving the index after batch 10), kills itself;
 *   endless:   applies batches forever, printing "ack <n>" after batch n is committed,
 *              saving the index every 7 batches, until the parent kills it.
 */
import { openShardStore, type PointInput } from "./index";
import { randomVector, seededRandom } from "./test-fixtures";

export const crashDimension = 8;
export const selfKillBatches = 20;
export const saveAfterBatch = 10;

/** Batch n of the workload: upserts over a 200-id space (repeats included), then deletes. */
export function crashBatch(n: number): { upserts: PointInput[]; deletes: string[] } {
  const random = seededRandom(1000 + n);
  const upserts = Array.from({ length: 40 }, () => {
    const id = `id${Math.floor(random() * 200)}`;
    return { id, vector: randomVector(random, crashDimension), payload: JSON.stringify({ batch: n, id }) };
  });
  const deletes = Array.from({ length: 10 }, () => `id${Math.floor(random() * 200)}`);
  return { upserts, deletes };
}

/** The live points and lastSeq after batches 0..n-1, by the store's documented rules. */
export function crashModel(batches: number): { live: Map<string, PointInput>; lastSeq: number } {
  const live = new Map<string, PointInput>();
  let lastSeq = 0;
  for (let n = 0; n < batches; n++) {
    const { upserts, deletes } = crashBatch(n);
    const latest = new Map(upserts.map((p) => [p.id, p]));
    for (const point of latest.values()) live.set(point.id, point);
    lastSeq += latest.size;
    for (const id of deletes) if (live.delete(id)) lastSeq++;
  }
  return { live, lastSeq };
}

if (import.meta.main) {
  const [dir, mode] = process.argv.slice(2);
  const store = openShardStore({ dir: dir!, dimension: crashDimension, metric: "euclidean" });
  for (let n = 0; mode === "endless" || n < selfKillBatches; n++) {
    const { upserts, deletes } = crashBatch(n);
    store.apply(upserts, deletes);
    if (mode === "endless") {
      if (n % 7 === 6) store.saveIndex();
      process.stdout.write(`ack ${n + 1}\n`);
    } else if (n + 1 === saveAfterBatch) {
      store.saveIndex();
    }
  }
  process.kill(process.pid, "SIGKILL");
}
