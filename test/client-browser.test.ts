import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { createVectronClient, type VectronClient } from "../packages/client/src/index.ts";
import { openInChromium } from "./support/chromium-page";
import { clientWithNewAccount, docs } from "./support/client-fixtures";
import { startTestNode, type TestNode } from "./support/in-process-node";
import { installPackedClient, type PackedClientInstall } from "./support/packed-client";

/**
 * The built package in a real browser: a page script importing @vectron/client from its
 * npm tarball, bundled with `bun build --target browser`, run by headless Chromium. The
 * page comes from another origin than the node's, which allows it (VECTRON_CORS_ORIGINS),
 * so every call is a real cross-origin request with its preflight.
 */
describe("@vectron/client from its tarball in headless Chromium", () => {
  let node: TestNode;
  let install: PackedClientInstall;
  let client: VectronClient;
  let apiKey: string;
  let pageScript: string;

  beforeAll(async () => {
    // Any origin: the page's port is only known once its server listens.
    node = await startTestNode("pglite", { corsOrigins: ["*"] });
    const account = await clientWithNewAccount(createVectronClient({ baseUrl: node.baseUrl }), "browser");
    client = account.client;
    apiKey = account.key.key;
    await client.createCollection({ name: "web", dimension: 3, metric: "cosine" });
    await client.upsert("web", docs);

    install = await installPackedClient();
    copyFileSync(join(import.meta.dir, "support", "client-browser-page.js"), join(install.dir, "page.js"));
    const bundle = await Bun.build({ entrypoints: [join(install.dir, "page.js")], target: "browser", format: "esm" });
    if (!bundle.success) throw new Error(bundle.logs.map(String).join("\n"));
    pageScript = await bundle.outputs[0]!.text();
  }, 60_000);
  afterAll(async () => {
    install?.remove();
    await node?.stop();
  });

  test("the page upserts, searches with a filter, scrolls and sees a typed error", async () => {
    expect(pageScript).not.toContain("@vectron/proto");
    const { promise: reported, resolve } = Promise.withResolvers<PageReport>();
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch(request) {
        const path = new URL(request.url).pathname;
        if (path === "/") return new Response(`<!doctype html><title>vectron</title><body><script type="module" src="/page.js"></script>`, { headers: { "content-type": "text/html" } });
        if (path === "/page.js") return new Response(pageScript, { headers: { "content-type": "text/javascript" } });
        if (path === "/result" && request.method === "POST") {
          resolve((await request.json()) as PageReport);
          return new Response(null, { status: 204 });
        }
        return new Response("not found", { status: 404 });
      },
    });
    const browser = openInChromium(`http://127.0.0.1:${server.port}/?collection=web&key=${encodeURIComponent(apiKey)}&node=${encodeURIComponent(node.baseUrl)}`, install.dir);
    try {
      const timeout = Bun.sleep(40_000).then((): PageReport => ({ error: `no result from the page within 40 s; chromium said:\n${browser.output()}` }));
      const answer = await Promise.race([reported, timeout]);
      expect(answer.error).toBeUndefined();
      const result = answer.result!;
      expect(result.userAgent).toContain("Chrome");
      expect(result.progress).toEqual(["1/1"]);
      expect(result.hits.map((hit) => hit.id)).toEqual(["a", "c", "from-browser"]);
      expect(result.hits[2]).toEqual({ id: "from-browser", score: expect.closeTo(0.7071, 3), payload: { lang: "en", by: "browser" } });
      expect(result.scrolled).toEqual(["a", "b", "c", "d", "e", "from-browser"]);
      expect(result.notFound).toBe("not_found");
    } finally {
      await browser.stop();
      await server.stop(true);
    }
    // The page's write is there for everyone.
    expect((await client.get("web", ["from-browser"]))[0]!.payload).toEqual({ lang: "en", by: "browser" });
  }, 60_000);
});

/** What the page posts to /result. */
interface PageReport {
  result?: PageResult;
  error?: string;
}

interface PageResult {
  userAgent: string;
  progress: string[];
  hits: { id: string; score: number; payload?: unknown }[];
  scrolled: string[];
  notFound: string;
}
