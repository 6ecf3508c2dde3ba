/**
 * Runs async tasks one at a time, in the order they were handed in: each starts once the
 * one before settled (fulfilled or not). What keeps the replication state of a shard
 * from being changed by two requests at once.
 */
export class SerialTurns {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task, task);
    this.#tail = result.catch(() => {});
    return result;
  }
}
