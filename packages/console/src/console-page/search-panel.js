import { VECTRON_SERVICE } from "./connect-json.js";
import { byId, clearStatus, el, showError, showStatus } from "./dom.js";

const EXAMPLE_FILTER = {
  must: [
    { key: "lang", match: { value: "en" } },
    { key: "year", range: { gte: 2020 } },
  ],
};

/** Try a search: a collection, a vector (pasted or random), top k and an optional filter. */
export function createSearchPanel(session) {
  const form = byId("search-form");
  const status = byId("search-status");
  const rows = byId("results-table").querySelector("tbody");
  const select = form.elements.collection;
  let dimensions = new Map();

  byId("random-vector").addEventListener("click", () => {
    const dimension = dimensions.get(select.value) ?? 3;
    const vector = Array.from({ length: dimension }, () => Math.round((Math.random() * 2 - 1) * 1000) / 1000);
    form.elements.vector.value = JSON.stringify(vector);
  });
  byId("example-filter").addEventListener("click", () => {
    form.elements.filter.value = JSON.stringify(EXAMPLE_FILTER, null, 1);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearStatus(status);
    rows.replaceChildren();
    let request;
    try {
      request = searchRequest(form);
    } catch (err) {
      showStatus(status, err.message, "error");
      return;
    }
    try {
      const answer = await session.call(VECTRON_SERVICE, "Search", request);
      rows.replaceChildren(...answer.results.map(resultRow));
      const missing = answer.missingShards.length ? ` Shards not answering: ${answer.missingShards.join(", ")}.` : "";
      showStatus(status, `${answer.results.length} result${answer.results.length === 1 ? "" : "s"}.${missing}`);
    } catch (err) {
      showError(status, err);
    }
  });

  return {
    /** Offers these collections, keeping the current choice when it still exists. */
    setCollections(collections) {
      const chosen = select.value;
      dimensions = new Map(collections.map((collection) => [collection.name, collection.dimension]));
      select.replaceChildren(...collections.map((collection) => el("option", { value: collection.name }, collection.name)));
      if (dimensions.has(chosen)) select.value = chosen;
    },
    clear() {
      select.replaceChildren();
      rows.replaceChildren();
      clearStatus(status);
    },
  };
}

function searchRequest(form) {
  const vector = parseJson(form.elements.vector.value, "The vector");
  if (!Array.isArray(vector) || !vector.every((x) => typeof x === "number")) throw new Error("The vector must be a JSON array of numbers, such as [0.1, 0.2, 0.3].");
  const request = { collection: form.elements.collection.value, vector, topK: Number(form.elements.topK.value), withPayload: true };
  const filterText = form.elements.filter.value.trim();
  if (filterText) request.filter = parseJson(filterText, "The filter");
  return request;
}

function parseJson(text, what) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${err.message}`);
  }
}

function resultRow(result, index) {
  return el(
    "tr",
    { "data-id": result.id },
    el("td", {}, String(index + 1)),
    el("td", { class: "result-id" }, result.id),
    el("td", { class: "result-score" }, Number(result.score).toFixed(4)),
    el("td", {}, el("code", { class: "result-payload" }, JSON.stringify(result.payload ?? {}))),
  );
}
