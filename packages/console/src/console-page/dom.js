// Building the page from data without ever parsing data as HTML: text goes in as text
// nodes (textContent), attributes through setAttribute. Nothing here parses strings as HTML.

/**
 * A new element. `props`: "class", "on<event>" listeners, boolean or string attributes.
 * `children`: nodes or strings (strings become text nodes).
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}

/** Finds an element by id, failing loudly when the page and the script disagree. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node;
}

/** Shows a message in a status area: an error (RpcError or other) or a plain notice. */
export function showStatus(area, message, kind = "info") {
  area.replaceChildren(el("p", { class: kind }, message));
}

/** Shows an error with its Connect code and message. */
export function showError(area, err) {
  const code = err && typeof err.code === "string" ? err.code : "error";
  const message = err && typeof err.rpcMessage === "string" ? err.rpcMessage : String(err?.message ?? err);
  area.replaceChildren(el("p", { class: "error" }, el("code", { class: "error-code" }, code), " ", el("span", { class: "error-message" }, message)));
}

/** Empties a status area. */
export function clearStatus(area) {
  area.replaceChildren();
}

/** The short form of an enum value: "DISTANCE_COSINE" → "cosine". */
export function enumLabel(value, prefix) {
  return typeof value === "string" && value.startsWith(prefix) ? value.slice(prefix.length).toLowerCase() : String(value);
}

/** A two-step button: the first click asks, the second (within a few seconds) acts. */
export function confirmButton(label, question, action) {
  const button = el("button", { type: "button", class: "danger" }, label);
  let armed;
  button.addEventListener("click", () => {
    if (!armed) {
      button.textContent = question;
      armed = setTimeout(() => {
        armed = undefined;
        button.textContent = label;
      }, 5000);
      return;
    }
    clearTimeout(armed);
    armed = undefined;
    button.disabled = true;
    action();
  });
  return button;
}
