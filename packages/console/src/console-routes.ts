import { Hono } from "hono";
import { consoleAssets, consolePage, type ConsoleAsset } from "./console-assets";
import { consoleSecurityHeaders } from "./console-security-headers";

/** Where the console lives on a node's HTTP port. */
export const CONSOLE_PATH = "/console";

/**
 * The web console's routes: the page at /console and its files under /console/assets/.
 * The page calls the node's public API itself (Connect JSON on the same origin), so
 * these routes serve static files only and never see a credential.
 */
export function createConsoleRoutes(): Hono {
  const app = new Hono({ strict: false }).basePath(CONSOLE_PATH);
  app.use("*", consoleSecurityHeaders());
  app.get("/", () => serveAsset(consolePage));
  app.get("/assets/:name", (c) => {
    const asset = consoleAssets.get(c.req.param("name"));
    return asset ? serveAsset(asset) : c.text("not found", 404);
  });
  app.all("*", (c) => c.text("not found", 404));
  return app;
}

/**
 * A fallback handler that answers /console and everything under it with the console and
 * passes every other request to `next` (health, readiness, metrics).
 */
export function withConsole(next: (request: Request) => Response | Promise<Response>): (request: Request) => Response | Promise<Response> {
  const routes = createConsoleRoutes();
  return (request) => (isConsolePath(request.url) ? routes.fetch(request) : next(request));
}

function isConsolePath(url: string): boolean {
  const path = new URL(url).pathname;
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

function serveAsset(asset: ConsoleAsset): Response {
  // Revalidated on every load: a node upgrade must not leave a stale script in the browser.
  return new Response(asset.body, { headers: { "content-type": asset.contentType, "cache-control": "no-cache" } });
}
