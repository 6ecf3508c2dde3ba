import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  CanceledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
  createVectronClient,
  type VectronClient,
  type VectronClientError,
} from "../packages/client/src/index.ts";
import { clientWithNewAccount, docs, rejectionOf } from "./support/client-fixtures";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy";
import { startTestNode, type TestNode } from "./support/in-process-node";

/**
 * @vectron/client's retries, deadlines and cancellation against a live node, through a
 * real HTTP proxy that answers Connect errors or holds requests when told to, and a
 * port where nothing listens yet: real network, nothing of the client mocked.
 */
describe("@vectron/client retries and deadlines", () => {
  let node: TestNode;
  let proxy: FaultProxy;
  let apiKey: string;
  /** Through the proxy, with short retry delays. */
  let proxied: VectronClient;

  beforeAll(async () => {
    node = await startTestNode("pglite");
    proxy = startFaultProxy(node.baseUrl);
    const account = await clientWithNewAccount(createVectronClient({ baseUrl: node.baseUrl }), "retries");
    apiKey = account.key.key;
    await account.client.createCollection({ name: "docs", dimension: 3, metric: "cosine" });
    await account.client.upsert("docs", docs);
    proxied = createVectronClient({ baseUrl: proxy.baseUrl, apiKey, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await node?.stop();
  });

  test("unavailable twice, then the answer: an idempotent call succeeds on the third attempt", async () => {
    proxy.failNext("Search", 2, { code: "unavailable", message: "shard 0 has no live replica" });
    const before = proxy.seenFor("Search").length;
    const hits = await proxied.search("docs", [1, 0, 0], { topK: 1 });
    expect(hits.map((h) => h.id)).toEqual(["a"]);
    expect(proxy.seenFor("Search").length - before).toBe(3);
  });

  test("retries are bounded: the last unavailable is thrown with the attempts made", async () => {
    proxy.failNext("Count", 3, { code: "unavailable", message: "still down" });
    const before = proxy.seenFor("Count").length;
    const error = await rejectionOf(proxied.count("docs"));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: "unavailable", serverMessage: "still down", attempts: 3 });
    expect(proxy.seenFor("Count").length - before).toBe(3);
  });

  test("createCollection is not retried: a lost answer must not turn into already_exists", async () => {
    proxy.failNext("CreateCollection", 1, { code: "unavailable" });
    const before = proxy.seenFor("CreateCollection").length;
    const error = await rejectionOf(proxied.createCollection({ name: "once", dimension: 2, metric: "cosine" }));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(proxy.seenFor("CreateCollection").length - before).toBe(1);
  });

  test("resource_exhausted is retried only with the server's retry hint", async () => {
    proxy.failNext("Get", 1, { code: "resource_exhausted", message: "point quota" });
    const before = proxy.seenFor("Get").length;
    expect(await rejectionOf(proxied.get("docs", ["a"]))).toBeInstanceOf(ResourceExhaustedError);
    expect(proxy.seenFor("Get").length - before).toBe(1);

    proxy.failNext("Get", 1, { code: "resource_exhausted", message: "rate limit", headers: { "retry-after-ms": "20", "retry-after": "1" } });
    expect((await proxied.get("docs", ["a"])).map((p) => p.id)).toEqual(["a"]);
    expect(proxy.seenFor("Get").length - before).toBe(3);
  });

  test("a node that is not listening yet: connection refused is retried until it is", async () => {
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const port = probe.port!;
    await probe.stop(true);
    const early = createVectronClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey, retry: { attempts: 20, baseDelayMs: 20, maxDelayMs: 100 } });
    const counting = early.count("docs");
    await Bun.sleep(150);
    const late = startFaultProxy(node.baseUrl, port);
    try {
      expect(await counting).toBe(5);
      expect(late.seenFor("Count")).toHaveLength(1);
    } finally {
      await late.stop();
    }
    const never = createVectronClient({ baseUrl: `http://127.0.0.1:${port}`, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const refused = await rejectionOf(never.count("docs"));
    expect(refused).toBeInstanceOf(UnavailableError);
    expect((refused as VectronClientError).serverMessage).toStartWith("network error");
  });

  test("a slow answer: DeadlineExceededError at timeoutMs, which the server is told too", async () => {
    proxy.delayNext("Search", 1, 1500);
    const error = await rejectionOf(proxied.search("docs", [1, 0, 0], { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ code: "deadline_exceeded", rpc: "Search" });
    const sent = Number(proxy.seenFor("Search").at(-1)!.headers.get("connect-timeout-ms"));
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(200);

    const slowDefault = createVectronClient({ baseUrl: proxy.baseUrl, apiKey, timeoutMs: 200 });
    proxy.delayNext("Count", 1, 1500);
    expect(await rejectionOf(slowDefault.count("docs"))).toBeInstanceOf(DeadlineExceededError);
  });

  test("an aborted signal cancels the call: CanceledError", async () => {
    proxy.delayNext("Search", 1, 1500);
    const controller = new AbortController();
    const searching = proxied.search("docs", [1, 0, 0], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejectionOf(searching);
    expect(error).toBeInstanceOf(CanceledError);
    expect(error).toMatchObject({ code: "canceled" });
  });
});
