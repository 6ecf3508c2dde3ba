import { VECTRON_SERVICE } from "./connect-json.js";
import { byId, clearStatus, confirmButton, el, enumLabel, showError, showStatus } from "./dom.js";

/**
 * Collections: the list, a form to create one, deleting (after a confirming second click)
 * and a collection's shards with their replicas. `onList(collections)` gets every list
 * read, for the workers and search panels.
 */
export function createCollectionsPanel(session, onList) {
  const form = byId("collection-form");
  const status = byId("collections-status");
  const rows = byId("collections-table").querySelector("tbody");
  const detail = byId("collection-detail");

  const refresh = async () => {
    try {
      const { collections } = await session.call(VECTRON_SERVICE, "ListCollections", {});
      rows.replaceChildren(...collections.map(collectionRow));
      onList(collections);
    } catch (err) {
      showError(status, err);
    }
  };

  const collectionRow = (collection) =>
    el(
      "tr",
      { "data-collection": collection.name },
      el("td", {}, collection.name),
      el("td", {}, String(collection.dimension)),
      el("td", {}, enumLabel(collection.distance, "DISTANCE_")),
      el("td", {}, String(collection.pointCount)),
      el("td", {}, String(collection.shardCount)),
      el("td", {}, String(collection.replicationFactor)),
      el(
        "td",
        {},
        el("button", { type: "button", class: "show-shards", onclick: () => showShards(collection.name) }, "Shards"),
        " ",
        confirmButton("Delete", `Delete ${collection.name} and its points?`, async () => {
          try {
            await session.call(VECTRON_SERVICE, "DeleteCollection", { name: collection.name });
            showStatus(status, `Deleted ${collection.name}.`);
            if (byId("detail-name").textContent === collection.name) detail.hidden = true;
          } catch (err) {
            showError(status, err);
          }
          await refresh();
        }),
      ),
    );

  const showShards = async (name) => {
    clearStatus(status);
    try {
      const { collection } = await session.call(VECTRON_SERVICE, "GetCollection", { name });
      byId("detail-name").textContent = collection.name;
      byId("shards-table").querySelector("tbody").replaceChildren(...collection.shards.map(shardRow));
      detail.hidden = false;
    } catch (err) {
      showError(status, err);
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearStatus(status);
    const field = (name) => form.elements[name].value;
    try {
      const { collection } = await session.call(VECTRON_SERVICE, "CreateCollection", {
        name: field("name").trim(),
        dimension: Number(field("dimension")),
        distance: field("distance"),
        shardCount: Number(field("shardCount")),
        replicationFactor: Number(field("replicationFactor")),
      });
      showStatus(status, `Created ${collection.name}.`);
      form.elements.name.value = "";
      await refresh();
    } catch (err) {
      showError(status, err);
    }
  });

  return {
    refresh,
    clear() {
      rows.replaceChildren();
      detail.hidden = true;
      clearStatus(status);
    },
  };
}

function shardRow(shard) {
  const primary = shard.replicas.find((replica) => replica.role === "REPLICA_ROLE_PRIMARY");
  return el(
    "tr",
    { "data-shard": String(shard.id) },
    el("td", {}, String(shard.id)),
    el("td", {}, String(shard.epoch)),
    el("td", { class: "primary" }, primary ? primary.workerId : "none"),
    el(
      "td",
      {},
      el(
        "ul",
        { class: "replicas" },
        ...shard.replicas.map((replica) =>
          el(
            "li",
            { class: `state-${enumLabel(replica.state, "REPLICA_STATE_")}` },
            el("code", {}, replica.workerId),
            ` · ${enumLabel(replica.role, "REPLICA_ROLE_")} · ${enumLabel(replica.state, "REPLICA_STATE_")}`,
          ),
        ),
      ),
    ),
  );
}
