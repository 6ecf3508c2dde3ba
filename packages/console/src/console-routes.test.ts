import { describe, expect, test } from "bun:test";
import { consoleAssets } from "./console-assets";
import { createConsoleRoutes, withConsole } from "./console-routes";

const app = createConsoleRoutes();

describe("console routes", () => {
  test("the page is served at /console and /console/ with the security headers", async () => {
    for (const path of ["/console", "/console/"]) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  test("every file the page or a script refers to is embedded and served", async () => {
    const page = await (await app.request("/console")).text();
    const referred = new Set([...page.matchAll(/(?:src|href)="\/console\/assets\/([^"]+)"/g)].map((match) => match[1]!));
    for (const [name, asset] of consoleAssets) {
      for (const match of asset.body.matchAll(/from "\.\/([^"]+)"/g)) referred.add(match[1]!);
      const response = await app.request(`/console/assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(asset.contentType);
      expect(await response.text()).toBe(asset.body);
    }
    expect([...referred].filter((name) => !consoleAssets.has(name))).toEqual([]);
    expect(referred.size).toBe(consoleAssets.size);
  });

  test("no script builds HTML from strings", () => {
    for (const [name, asset] of consoleAssets) {
      if (!name.endsWith(".js")) continue;
      expect({ name, html: /innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(asset.body) }).toEqual({ name, html: false });
    }
  });

  test("unknown console paths are 404 with the headers; other paths go to the next handler", async () => {
    const unknown = await app.request("/console/assets/../../health");
    expect(unknown.status).toBe(404);
    const missing = await app.request("/console/assets/nope.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");

    const fallback = withConsole((request) => new Response(`next ${new URL(request.url).pathname}`));
    for (const path of ["/health", "/metrics", "/consoles", "/"]) {
      expect(await (await fallback(new Request(`http://node${path}`))).text()).toBe(`next ${path}`);
    }
    expect((await fallback(new Request("http://node/console"))).headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});
