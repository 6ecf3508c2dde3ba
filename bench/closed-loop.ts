import { now, type Pass } from "./timing";

/**
 * Runs `task(0) … task(count - 1)` as a closed loop with `inFlight` requests outstanding
 * at a time (each of `inFlight` lanes starts the next task as soon as its previous one
 * answers), timing each task and the whole pass. `operationsPerTask` turns requests into
 * the unit reported (1 for searches, the batch size for ingest).
 */
export async function closedLoop(
  count: number,
  inFlight: number,
  task: (i: number) => Promise<unknown>,
  operationsPerTask: (i: number) => number = () => 1,
): Promise<Pass> {
  const latenciesNs = new Array<number>(count);
  let next = 0;
  let operations = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const started = now();
      await task(i);
      latenciesNs[i] = now() - started;
      operations += operationsPerTask(i);
    }
  };
  const started = now();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
  return { operations, elapsedNs: now() - started, latenciesNs };
}
