import fc from "fast-check";

/**
 * The seed of this run of a fuzz or property file: `VECTRON_FUZZ_SEED` when set (to
 * replay a failure), else drawn once per process. Every property of the run uses it, and
 * a failure names it with the command that replays it.
 */
export const fuzzSeed: number = process.env.VECTRON_FUZZ_SEED ? Number(process.env.VECTRON_FUZZ_SEED) : (Date.now() ^ (process.pid << 8)) | 0;

/**
 * fc.assert for an async property with the run's seed. On failure the error says which
 * property failed, with what seed, and how to replay it (fast-check's own report, with
 * the counterexample and its path, follows).
 */
export async function assertWithSeed<T>(name: string, property: fc.IAsyncProperty<T>, numRuns: number, file: string): Promise<void> {
  try {
    await fc.assert(property, { seed: fuzzSeed, numRuns, endOnFailure: true });
  } catch (err) {
    const replay = `VECTRON_FUZZ_SEED=${fuzzSeed} bun test --timeout 120000 ${file}`;
    throw new Error(`${name} failed with seed ${fuzzSeed}; replay: ${replay}\n${(err as Error).message}`, { cause: err });
  }
}
