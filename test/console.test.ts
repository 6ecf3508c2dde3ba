import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { callJson, okJson } from "./support/connect-json";
import { openDevtoolsPage, type DevtoolsPage } from "./support/devtools-page";
import { startTestNode, type TestNode } from "./support/in-process-node";
import { tempDir } from "./support/temp-dir";

const AUTH = "vectron.auth.v1.AuthService";
const VECTRON = "vectron.v1.VectronService";
/** A payload that would run script if the page ever parsed data as HTML. */
const HOSTILE_TITLE = `<img src=x onerror="document.title='pwned';window.pwned=true">`;

/**
 * The web console at /console of a real node, driven in headless Chromium over the
 * DevTools protocol like a user would: the page calls the node's API itself. The steps
 * run in order on one page and one account.
 */
describe("the web console in headless Chromium", () => {
  let node: TestNode;
  let dir: ReturnType<typeof tempDir>;
  let page: DevtoolsPage;
  const email = `console-${Date.now()}@example.com`;
  const password = "correct horse battery staple";
  let readOnlyKey = "";

  const fill = (selector: string, value: string) =>
    page.evaluate(`(() => { const input = document.querySelector(${JSON.stringify(selector)}); input.value = ${JSON.stringify(value)}; input.dispatchEvent(new Event("input", { bubbles: true })); return true; })()`);
  const click = (selector: string) => page.evaluate(`document.querySelector(${JSON.stringify(selector)}).click()`);
  const texts = (selector: string) => page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((node) => node.textContent)`);

  beforeAll(async () => {
    node = await startTestNode("pglite");
    dir = tempDir("console");
    page = await openDevtoolsPage(dir.path);
  }, 60_000);
  afterAll(async () => {
    await page?.stop();
    await node?.stop();
    dir?.remove();
  });

  test("the page and its files come with a strict CSP and no inline script; other paths are not the console's", async () => {
    const html = await fetch(`${node.baseUrl}/console`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toStartWith("text/html");
    const body = await html.text();
    // Every script is a file: a CSP without 'unsafe-inline' would refuse an inline one.
    expect(body.match(/<script\b[^>]*>/g)).toEqual([`<script type="module" src="/console/assets/app.js">`]);
    expect(body).not.toMatch(/\son[a-z]+=|style=/i);
    const script = await fetch(`${node.baseUrl}/console/assets/app.js`);
    expect(script.headers.get("content-type")).toStartWith("text/javascript");
    expect(await script.text()).toContain("createSession");
    for (const response of [html, script]) {
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    expect((await fetch(`${node.baseUrl}/console/assets/missing.js`)).status).toBe(404);
    // Health and readiness still answer, and are not dressed as console responses.
    for (const path of ["/health", "/ready"]) {
      const response = await fetch(`${node.baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toBeNull();
    }
    expect((await fetch(`${node.baseUrl}/consoles`)).headers.get("content-security-policy")).toBeNull();
  });

  test("registering logs in, keeping the session out of cookies", async () => {
    await page.navigate(`${node.baseUrl}/console`);
    await page.waitFor(`document.body.dataset.state === "signed-out"`);
    await fill("#login-form [name=email]", email);
    await fill("#login-form [name=password]", password);
    await click("#register");
    await page.waitFor(`document.body.dataset.state === "signed-in"`);
    expect(await page.evaluate(`document.getElementById("account-email").textContent`)).toBe(email);
    expect(await page.evaluate(`document.cookie`)).toBe("");
    const saved = await page.evaluate<{ token: string; expiresAt: number }>(`JSON.parse(sessionStorage.getItem("vectron.console.session"))`);
    // The stored token is a working session.
    expect((await okJson(node.baseUrl, `${AUTH}/GetUserProfile`, {}, saved.token)).user.email).toBe(email);
  });

  test("a read-only API key is shown once and is read-only", async () => {
    await fill("#key-form [name=name]", "ci reader");
    await click("#key-form [name=readOnly]");
    await click("#key-form button[type=submit]");
    readOnlyKey = await page.waitFor<string>(`!document.getElementById("new-key").hidden && document.getElementById("new-key-value").value`);
    await page.waitFor(`document.querySelectorAll("#keys-table tbody tr").length === 1`);
    expect(await texts("#keys-table tbody tr td:nth-child(3)")).toEqual(["read-only"]);
    expect(await texts("#keys-table tbody tr td:first-child")).toEqual(["ci reader"]);
    // The key works for reads and is refused for writes.
    expect((await callJson(node.baseUrl, `${VECTRON}/ListCollections`, {}, readOnlyKey)).status).toBe(200);
    const write = await callJson(node.baseUrl, `${VECTRON}/CreateCollection`, { name: "nope", dimension: 3 }, readOnlyKey);
    expect(write.body.code).toBe("permission_denied");
    await click("#hide-key");
    expect(await page.evaluate(`document.getElementById("new-key-value").value`)).toBe("");
  });

  test("a collection created in the page lists its shards and the worker holding them", async () => {
    await fill("#collection-form [name=name]", "docs");
    await fill("#collection-form [name=dimension]", "3");
    await fill("#collection-form [name=shardCount]", "2");
    await click("#collection-form button[type=submit]");
    await page.waitFor(`document.querySelector('#collections-table tr[data-collection="docs"]')`);
    const described = (await okJson(node.baseUrl, `${VECTRON}/GetCollection`, { name: "docs" }, readOnlyKey)).collection;
    expect(described).toMatchObject({ dimension: 3, distance: "DISTANCE_COSINE", shardCount: 2, replicationFactor: 1 });

    await click(`#collections-table tr[data-collection="docs"] button.show-shards`);
    await page.waitFor(`!document.getElementById("collection-detail").hidden`);
    expect(await texts("#shards-table tbody tr td:first-child")).toEqual(["0", "1"]);
    expect(await texts("#shards-table tbody tr td.primary")).toEqual([node.node.nodeId, node.node.nodeId]);
    expect(await texts("#shards-table tbody tr td:nth-child(2)")).toEqual(described.shards.map((shard: { epoch: string }) => String(shard.epoch)));
    expect(await texts("#shards-table tbody li")).toEqual([`${node.node.nodeId} · primary · active`, `${node.node.nodeId} · primary · active`]);
    expect(await texts("#workers-table tbody tr td:first-child")).toEqual([node.node.nodeId]);
    expect(await texts("#workers-table tbody tr td:nth-child(3)")).toEqual(["2"]);
  });

  test("a filtered search shows the matching ids, scores and payloads as text", async () => {
    const login = await okJson(node.baseUrl, `${AUTH}/Login`, { email, password });
    await okJson(
      node.baseUrl,
      `${VECTRON}/Upsert`,
      {
        collection: "docs",
        points: [
          { id: "a", vector: [1, 0, 0], payload: { lang: "en", title: "first" } },
          { id: "b", vector: [0.9, 0.1, 0], payload: { lang: "fr" } },
          { id: "c", vector: [0.8, 0.2, 0], payload: { lang: "en", title: HOSTILE_TITLE } },
          { id: "d", vector: [0, 1, 0], payload: { lang: "en" } },
          { id: "e", vector: [0, 0, 1], payload: { lang: "fr" } },
        ],
      },
      login.token,
    );
    // The search form offers the collection once the list is read again.
    await page.navigate(`${node.baseUrl}/console`);
    await page.waitFor(`document.querySelector('#search-form [name=collection] option[value="docs"]')`);

    await click("#random-vector");
    const random = JSON.parse(await page.evaluate<string>(`document.querySelector("#search-form [name=vector]").value`));
    expect(random).toHaveLength(3);

    await fill("#search-form [name=vector]", "[1, 0, 0]");
    await fill("#search-form [name=topK]", "5");
    await fill("#search-form [name=filter]", JSON.stringify({ must: [{ key: "lang", match: { value: "en" } }] }));
    await click("#search-form button[type=submit]");
    await page.waitFor(`document.querySelectorAll("#results-table tbody tr").length > 0`);
    expect(await texts("#results-table td.result-id")).toEqual(["a", "c", "d"]);
    expect(await texts("#results-table td.result-score")).toEqual(["1.0000", "0.9701", "0.0000"]);
    const payloads = await texts("#results-table code.result-payload");
    expect(JSON.parse(payloads[1]!)).toEqual({ lang: "en", title: HOSTILE_TITLE });
    // Shown as text: no element was made from it, and its handler never ran.
    expect(await page.evaluate(`document.querySelectorAll("img").length`)).toBe(0);
    expect(await page.evaluate(`document.title`)).toBe("Vectron console");
    expect(await page.evaluate(`window.pwned === undefined`)).toBe(true);

    await click(`#collections-table tr[data-collection="docs"] button.show-shards`);
    await page.waitFor(`!document.getElementById("collection-detail").hidden`);
    const shot = await page.screenshot();
    const path = join(dir.path, "console.png");
    writeFileSync(path, shot);
    expect([...shot.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const header = new DataView(shot.buffer, shot.byteOffset + 16, 8);
    expect([header.getUint32(0), header.getUint32(4)]).toEqual([1280, 900]);
    expect(shot.byteLength).toBeGreaterThan(10_000);
    // The README's picture, refreshed on request only so test runs leave the tree as it was.
    if (process.env.VECTRON_UPDATE_SCREENSHOT === "1" && shot.byteLength < 200_000) {
      mkdirSync(join(import.meta.dir, "..", "docs"), { recursive: true });
      copyFileSync(path, join(import.meta.dir, "..", "docs", "console.png"));
    }
  });

  test("a failed search shows its Connect code and message", async () => {
    await fill("#search-form [name=vector]", "[1, 0]");
    await fill("#search-form [name=filter]", "");
    await click("#search-form button[type=submit]");
    const code = await page.waitFor<string>(`document.querySelector("#search-status .error-code")?.textContent`);
    expect(code).toBe("invalid_argument");
    expect(await page.evaluate(`document.querySelector("#search-status .error-message").textContent`)).toContain("dimension");
    expect(await texts("#results-table tbody tr")).toEqual([]);

    await fill("#search-form [name=vector]", "[1, 0, 0");
    await click("#search-form button[type=submit]");
    expect(await page.waitFor<string>(`document.querySelector("#search-status .error")?.textContent`)).toContain("not valid JSON");
  });

  test("the session is renewed before it expires", async () => {
    const before = await page.evaluate<{ token: string; expiresAt: number }>(`JSON.parse(sessionStorage.getItem("vectron.console.session"))`);
    // As if the session were about to expire: renewal is due at half the time left.
    await page.evaluate(`sessionStorage.setItem("vectron.console.session", JSON.stringify({ ...JSON.parse(sessionStorage.getItem("vectron.console.session")), expiresAt: Date.now() + 3000 }))`);
    await page.navigate(`${node.baseUrl}/console`);
    const renewed = await page.waitFor<{ token: string; expiresAt: number }>(
      `(() => { const s = JSON.parse(sessionStorage.getItem("vectron.console.session")); return s.token !== ${JSON.stringify(before.token)} && s; })()`,
    );
    expect(renewed.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect((await okJson(node.baseUrl, `${AUTH}/GetUserProfile`, {}, renewed.token)).user.email).toBe(email);
  });

  test("deleting a collection and revoking a key take a second, confirming click", async () => {
    await page.waitFor(`document.querySelector('#collections-table tr[data-collection="docs"]')`);
    const deleteButton = `#collections-table tr[data-collection="docs"] button.danger`;
    await click(deleteButton);
    expect(await page.evaluate(`document.querySelector(${JSON.stringify(deleteButton)}).textContent`)).toBe("Delete docs and its points?");
    expect((await okJson(node.baseUrl, `${VECTRON}/ListCollections`, {}, readOnlyKey)).collections).toHaveLength(1);
    await click(deleteButton);
    await page.waitFor(`!document.querySelector('#collections-table tr[data-collection="docs"]')`);
    expect((await okJson(node.baseUrl, `${VECTRON}/ListCollections`, {}, readOnlyKey)).collections).toEqual([]);
    expect(await texts("#workers-table tbody tr")).toEqual([]);

    await click("#keys-table tbody tr button.danger");
    await click("#keys-table tbody tr button.danger");
    await page.waitFor(`document.querySelectorAll("#keys-table tbody tr").length === 0`);
    expect((await callJson(node.baseUrl, `${VECTRON}/ListCollections`, {}, readOnlyKey)).body.code).toBe("unauthenticated");
  });

  test("logging out forgets the session; the page reported no errors", async () => {
    await click("#logout");
    await page.waitFor(`document.body.dataset.state === "signed-out"`);
    expect(await page.evaluate(`sessionStorage.getItem("vectron.console.session")`)).toBeNull();
    expect(await page.evaluate(`document.querySelectorAll("#collections-table tbody tr").length`)).toBe(0);
    // No exception, no refused script or style (CSP), no failed load but the bad search's.
    expect(page.problems()).toEqual([`network: Failed to load resource: the server responded with a status of 400 (Bad Request) (${node.baseUrl}/${VECTRON}/Search)`]);
  });
});
