import { AUTH_SERVICE } from "./connect-json.js";
import { byId, clearStatus, confirmButton, el, showError } from "./dom.js";

/** API keys: the list, a form to create one (shown once, with a copy button), revoking. */
export function createKeysPanel(session) {
  const form = byId("key-form");
  const status = byId("keys-status");
  const rows = byId("keys-table").querySelector("tbody");
  const newKey = byId("new-key");
  const newKeyValue = byId("new-key-value");

  const refresh = async () => {
    try {
      const { apiKeys } = await session.call(AUTH_SERVICE, "ListAPIKeys", {});
      rows.replaceChildren(...apiKeys.map(keyRow));
    } catch (err) {
      showError(status, err);
    }
  };

  const keyRow = (key) =>
    el(
      "tr",
      { "data-key-id": key.id },
      el("td", {}, key.name),
      el("td", {}, el("code", {}, `${key.prefix}…`)),
      el("td", {}, key.readOnly ? "read-only" : "read-write"),
      el("td", {}, formatTime(key.createdAt)),
      el(
        "td",
        {},
        confirmButton("Revoke", "Really revoke?", async () => {
          try {
            await session.call(AUTH_SERVICE, "DeleteAPIKey", { id: key.id });
          } catch (err) {
            showError(status, err);
          }
          await refresh();
        }),
      ),
    );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearStatus(status);
    try {
      const answer = await session.call(AUTH_SERVICE, "CreateAPIKey", {
        name: form.elements.name.value.trim(),
        readOnly: form.elements.readOnly.checked,
      });
      newKeyValue.value = answer.key;
      newKey.hidden = false;
      form.reset();
      await refresh();
    } catch (err) {
      showError(status, err);
    }
  });

  byId("copy-key").addEventListener("click", async () => {
    newKeyValue.select();
    try {
      await navigator.clipboard.writeText(newKeyValue.value);
      byId("copy-key").textContent = "Copied";
    } catch {
      // No clipboard permission: the key is selected for Ctrl-C instead.
    }
  });
  byId("hide-key").addEventListener("click", () => hideNewKey());

  const hideNewKey = () => {
    newKeyValue.value = "";
    newKey.hidden = true;
    byId("copy-key").textContent = "Copy";
  };

  return {
    refresh,
    clear() {
      hideNewKey();
      rows.replaceChildren();
      clearStatus(status);
    },
  };
}

function formatTime(timestamp) {
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? "" : new Date(time).toISOString().slice(0, 16).replace("T", " ");
}
