// The page's files, embedded as text: a `bun build --compile` binary carries them inside
// itself, and nothing is read from disk at run time.
import appJs from "./console-page/app.js" with { type: "text" };
import authPanelJs from "./console-page/auth-panel.js" with { type: "text" };
import collectionsPanelJs from "./console-page/collections-panel.js" with { type: "text" };
import connectJsonJs from "./console-page/connect-json.js" with { type: "text" };
import consoleCss from "./console-page/console.css" with { type: "text" };
import domJs from "./console-page/dom.js" with { type: "text" };
import faviconSvg from "./console-page/favicon.svg" with { type: "text" };
import indexHtml from "./console-page/index.html" with { type: "text" };
import keysPanelJs from "./console-page/keys-panel.js" with { type: "text" };
import searchPanelJs from "./console-page/search-panel.js" with { type: "text" };
import sessionJs from "./console-page/session.js" with { type: "text" };
import workersPanelJs from "./console-page/workers-panel.js" with { type: "text" };

/** One file of the console: its bytes and Content-Type. */
export interface ConsoleAsset {
  body: string;
  contentType: string;
}

const JS = "text/javascript; charset=utf-8";

/** The console's page. */
export const consolePage: ConsoleAsset = { body: indexHtml, contentType: "text/html; charset=utf-8" };

/** The page's scripts (ES modules), style sheet and icon, by file name, served under /console/assets/. */
export const consoleAssets: ReadonlyMap<string, ConsoleAsset> = new Map([
  ["app.js", { body: appJs, contentType: JS }],
  ["auth-panel.js", { body: authPanelJs, contentType: JS }],
  ["collections-panel.js", { body: collectionsPanelJs, contentType: JS }],
  ["connect-json.js", { body: connectJsonJs, contentType: JS }],
  ["dom.js", { body: domJs, contentType: JS }],
  ["keys-panel.js", { body: keysPanelJs, contentType: JS }],
  ["search-panel.js", { body: searchPanelJs, contentType: JS }],
  ["session.js", { body: sessionJs, contentType: JS }],
  ["workers-panel.js", { body: workersPanelJs, contentType: JS }],
  ["console.css", { body: consoleCss, contentType: "text/css; charset=utf-8" }],
  ["favicon.svg", { body: faviconSvg, contentType: "image/svg+xml" }],
]);
