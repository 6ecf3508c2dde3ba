/** Progress of a batched call: how many items are acknowledged, out of how many. */
export interface BatchProgress {
  done: number;
  total: number;
}

/**
 * Sends `batches` through `send`, at most `concurrency` at a time, in order of start,
 * and reports progress after each acknowledged batch. On the first failure no further
 * batch starts; the ones in flight are awaited, then that failure is thrown. Returns the
 * sum of what `send` returned.
 */
export async function runBatches<T>(
  batches: readonly T[][],
  concurrency: number,
  send: (batch: T[]) => Promise<number>,
  onProgress?: (progress: BatchProgress) => void,
): Promise<number> {
  const total = batches.reduce((sum, batch) => sum + batch.length, 0);
  let next = 0;
  let done = 0;
  let counted = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < batches.length) {
      const batch = batches[next++]!;
      try {
        // Not `counted += await ...`: that reads `counted` before the await, losing the
        // counts of batches that finish meanwhile.
        const acknowledged = await send(batch);
        counted += acknowledged;
        done += batch.length;
        // Inside the try: a throwing callback stops the run like a failed batch.
        onProgress?.({ done, total });
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return counted;
}
