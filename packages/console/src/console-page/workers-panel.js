import { byId, el, enumLabel } from "./dom.js";

/**
 * The workers holding the user's shards, gathered from the collections' shard maps (the
 * public API's view: users cannot call the internal placement service).
 */
export function createWorkersPanel() {
  const rows = byId("workers-table").querySelector("tbody");
  return {
    show(collections) {
      const workers = new Map();
      for (const collection of collections) {
        for (const shard of collection.shards) {
          for (const replica of shard.replicas) {
            const worker = workers.get(replica.workerId) ?? { id: replica.workerId, address: replica.address, primaries: 0, followers: 0, states: new Set(), collections: new Set() };
            if (replica.role === "REPLICA_ROLE_PRIMARY") worker.primaries += 1;
            else worker.followers += 1;
            worker.states.add(enumLabel(replica.state, "REPLICA_STATE_"));
            worker.collections.add(collection.name);
            workers.set(replica.workerId, worker);
          }
        }
      }
      rows.replaceChildren(
        ...[...workers.values()].map((worker) =>
          el(
            "tr",
            { "data-worker": worker.id },
            el("td", {}, el("code", {}, worker.id)),
            el("td", {}, worker.address),
            el("td", {}, String(worker.primaries)),
            el("td", {}, String(worker.followers)),
            el("td", {}, [...worker.states].join(", ")),
            el("td", {}, [...worker.collections].join(", ")),
          ),
        ),
      );
    },
    clear() {
      rows.replaceChildren();
    },
  };
}
