import { createAuthPanel } from "./auth-panel.js";
import { createCollectionsPanel } from "./collections-panel.js";
import { byId } from "./dom.js";
import { createKeysPanel } from "./keys-panel.js";
import { createSearchPanel } from "./search-panel.js";
import { createSession } from "./session.js";
import { createWorkersPanel } from "./workers-panel.js";

// The console's entry point: shows the log-in form or the signed-in panels.
const session = createSession(render);
createAuthPanel(session);
const keys = createKeysPanel(session);
const workers = createWorkersPanel();
const search = createSearchPanel(session);
const collections = createCollectionsPanel(session, (list) => {
  workers.show(list);
  search.setCollections(list);
});
session.resume();

function render() {
  byId("signed-out").hidden = session.loggedIn;
  byId("signed-in").hidden = !session.loggedIn;
  byId("account").hidden = !session.loggedIn;
  byId("account-email").textContent = session.email;
  if (session.loggedIn) {
    void keys.refresh();
    void collections.refresh();
  } else {
    keys.clear();
    collections.clear();
    workers.clear();
    search.clear();
  }
  document.body.dataset.state = session.loggedIn ? "signed-in" : "signed-out";
}
