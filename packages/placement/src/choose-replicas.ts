/** Where each replica of each shard goes: `result[shard][0]` is the primary. */
export type ReplicaAssignment = string[][];

/**
 * Spreads `shardCount × replicationFactor` replicas over the given workers, least-loaded
 * first, never putting two replicas of one shard on the same worker. `load` is the
 * number of replicas each worker already holds; the caller checks that there are at
 * least `replicationFactor` workers.
 */
export function chooseReplicas(
  workerIds: string[],
  load: ReadonlyMap<string, number>,
  shardCount: number,
  replicationFactor: number,
): ReplicaAssignment {
  if (workerIds.length < replicationFactor) {
    throw new RangeError(`${replicationFactor} replicas need as many workers, have ${workerIds.length}`);
  }
  const held = new Map(workerIds.map((id) => [id, load.get(id) ?? 0]));
  const primaries = new Map(workerIds.map((id) => [id, 0]));
  const assignment: ReplicaAssignment = [];
  for (let shard = 0; shard < shardCount; shard++) {
    // Least loaded first; ties broken by id so placement is deterministic.
    const ranked = [...held].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    const chosen = ranked.slice(0, replicationFactor).map(([id]) => id);
    // The primary (which takes every write) goes to the chosen worker with the fewest
    // primaries of this collection so far: rebalancing only moves followers.
    const primary = chosen.reduce((best, id) => (primaries.get(id)! < primaries.get(best)! ? id : best));
    primaries.set(primary, primaries.get(primary)! + 1);
    for (const id of chosen) held.set(id, held.get(id)! + 1);
    assignment.push([primary, ...chosen.filter((id) => id !== primary)]);
  }
  return assignment;
}
