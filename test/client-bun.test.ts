import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  AlreadyExistsError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  VectronClientError,
  createVectronClient,
  type BatchProgress,
  type VectronClient,
} from "../packages/client/src/index.ts";
import { clientWithNewAccount, docs, numberedPoints, rejectionOf } from "./support/client-fixtures";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy";
import { startTestNode, type TestNode } from "./support/in-process-node";

/**
 * @vectron/client (its sources, run by Bun) against a live `vectron serve` node: every
 * method, batching and paging (counted at a real HTTP proxy in front of the node),
 * filters and typed errors. Retries and deadlines: client-retries.test.ts.
 */
describe("@vectron/client on Bun against a live node", () => {
  let node: TestNode;
  let proxy: FaultProxy;
  let account: Awaited<ReturnType<typeof clientWithNewAccount>>;
  let client: VectronClient;
  /** The account's client, through the proxy, with short retry delays. */
  let proxied: VectronClient;

  beforeAll(async () => {
    node = await startTestNode("pglite");
    proxy = startFaultProxy(node.baseUrl);
    account = await clientWithNewAccount(createVectronClient({ baseUrl: node.baseUrl }));
    client = account.client;
    proxied = createVectronClient({ baseUrl: proxy.baseUrl, apiKey: account.key.key, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await node?.stop();
  });

  describe("accounts", () => {
    test("register, login, profile, API keys, token refresh and revocation", async () => {
      const { user, session, asSession, key, email, password } = account;
      expect(user.email).toBe(email);
      expect(user.createdAt).toBeInstanceOf(Date);
      expect(session.user.id).toBe(user.id);
      expect(session.expiresAt!.getTime()).toBeGreaterThan(Date.now());
      expect((await asSession.auth.getProfile()).id).toBe(user.id);
      expect(key.apiKey.readOnly).toBe(false);
      expect(key.key.startsWith(key.apiKey.prefix)).toBe(true);

      const anonymous = createVectronClient({ baseUrl: node.baseUrl });
      const wrong = await rejectionOf(anonymous.auth.login({ email, password: "not the password" }));
      expect(wrong).toBeInstanceOf(UnauthenticatedError);

      // A token source function: the client asks it before each request.
      let current = session.token;
      let asked = 0;
      const refreshing = createVectronClient({ baseUrl: node.baseUrl, token: () => (asked++, current) });
      const refreshed = await refreshing.auth.refreshToken();
      expect(refreshed.expiresAt!.getTime()).toBeGreaterThanOrEqual(session.expiresAt!.getTime());
      current = refreshed.token;
      expect((await refreshing.auth.getProfile()).email).toBe(email);
      expect(asked).toBe(2);

      const extra = await asSession.auth.createApiKey({ name: "short-lived" });
      const listed = await asSession.auth.listApiKeys();
      expect(listed.map((k) => k.name).sort()).toEqual(["client test", "short-lived"]);
      expect(JSON.stringify(listed)).not.toContain(extra.key);
      const withExtra = asSession.withCredentials({ apiKey: extra.key });
      expect(await withExtra.listCollections()).toEqual([]);
      await asSession.auth.deleteApiKey(extra.apiKey.id);
      const revoked = await rejectionOf(withExtra.listCollections());
      expect(revoked).toBeInstanceOf(UnauthenticatedError);
      expect((await asSession.auth.listApiKeys()).map((k) => k.id)).toEqual([key.apiKey.id]);
    });
  });

  describe("collections", () => {
    test("create, get, list, payload indexes and delete", async () => {
      const created = await client.createCollection({
        name: "docs",
        dimension: 3,
        metric: "cosine",
        shards: 2,
        payloadIndexes: [{ key: "lang", kind: "keyword" }],
      });
      expect(created).toMatchObject({ name: "docs", dimension: 3, metric: "cosine", pointCount: 0, shards: 2, replicationFactor: 1 });
      expect(created.payloadIndexes).toEqual([{ key: "lang", kind: "keyword" }]);
      expect(created.createdAt).toBeInstanceOf(Date);

      await client.createCollection({ name: "scratch", dimension: 2, metric: "dot" });
      const withIndex = await client.createPayloadIndex("scratch", { key: "year", kind: "integer" });
      expect(withIndex.payloadIndexes).toEqual([{ key: "year", kind: "integer" }]);
      expect((await client.deletePayloadIndex("scratch", "year")).payloadIndexes).toEqual([]);

      const got = await client.getCollection("docs");
      expect(got.placement.map((shard) => shard.id)).toEqual([0, 1]);
      expect(got.placement[0]!.replicas[0]).toMatchObject({ role: "primary", state: "active" });
      const names = (await client.listCollections()).map((c) => c.name);
      expect(names).toEqual(["docs", "scratch"]);

      const duplicate = await rejectionOf(client.createCollection({ name: "docs", dimension: 3, metric: "cosine" }));
      expect(duplicate).toBeInstanceOf(AlreadyExistsError);

      await client.deleteCollection("scratch");
      const gone = await rejectionOf(client.getCollection("scratch"));
      expect(gone).toBeInstanceOf(NotFoundError);
      expect(gone).toBeInstanceOf(VectronClientError);
      expect(gone).toMatchObject({ code: "not_found", rpc: "GetCollection", attempts: 1 });
      expect((gone as VectronClientError).serverMessage.length).toBeGreaterThan(0);
      expect(gone.message).toBe(`[not_found] GetCollection: ${(gone as VectronClientError).serverMessage}`);
    });
  });

  describe("points in the docs collection", () => {
    beforeAll(async () => {
      expect(await client.upsert("docs", docs)).toEqual({ upserted: 5 });
    });

    test("search returns plain objects, best first, with payloads; Float32Array and number[] alike", async () => {
      const hits = await client.search("docs", [1, 0, 0], { topK: 3 });
      expect(hits.map((h) => h.id)).toEqual(["a", "b", "c"]);
      expect(Object.getPrototypeOf(hits[0])).toBe(Object.prototype);
      expect(hits[0]).toEqual({ id: "a", score: expect.closeTo(1, 5), payload: docs[0]!.payload! });
      const again = await client.search("docs", new Float32Array([1, 0, 0]), { topK: 3 });
      expect(again).toEqual(hits);

      const bare = await client.search("docs", [0, 1, 0], { topK: 1, withPayload: false, withVector: true, ef: 128, consistency: "eventual" });
      expect(bare).toEqual([{ id: "d", score: expect.closeTo(1, 5), vector: [0, 1, 0] }]);
    });

    test("filters: match value, match any, range, mustNot, should, nested keys", async () => {
      const ids = async (filter: Parameters<VectronClient["search"]>[2]) =>
        (await client.search("docs", [1, 0, 0], { topK: 10, ...filter })).map((h) => h.id);
      expect(await ids({ filter: { must: [{ key: "lang", match: { value: "en" } }] } })).toEqual(["a", "c", "e"]);
      expect(await ids({ filter: { must: [{ key: "lang", match: { any: ["fr", "de"] } }] } })).toEqual(["b", "d"]);
      expect(await ids({ filter: { must: [{ key: "year", range: { gte: 2000, lt: 2015 } }] } })).toEqual(["a", "c"]);
      expect(await ids({ filter: { mustNot: [{ key: "lang", match: { value: "en" } }] } })).toEqual(["b", "d"]);
      expect(await ids({ filter: { should: [{ key: "tags", match: { value: "z" } }, { key: "nested.level", match: { value: 2 } }] } })).toEqual(["c", "e"]);
      expect(await client.count("docs", { filter: { must: [{ key: "tags", match: { any: ["y"] } }] } })).toBe(2);
    });

    test("searchBatch answers each query in order", async () => {
      const batches = await client.searchBatch("docs", [
        { vector: [1, 0, 0], topK: 2 },
        { vector: new Float32Array([0, 1, 0]), topK: 5, filter: { must: [{ key: "lang", match: { value: "de" } }] } },
      ]);
      expect(batches.map((hits) => hits.map((h) => h.id))).toEqual([["a", "b"], ["d"]]);
      expect(batches[1]![0]!.payload).toEqual({ lang: "de", year: 2020 });
    });

    test("get keeps the request order, leaves missing ids out, returns float32 vectors", async () => {
      const points = await client.get("docs", ["c", "missing", "a"]);
      expect(points).toEqual([
        { id: "c", vector: [Math.fround(0.8), Math.fround(0.2), 0], payload: docs[2]!.payload! },
        { id: "a", vector: [1, 0, 0], payload: docs[0]!.payload! },
      ]);
      expect(await client.get("docs", ["b"], { withVector: false, withPayload: false })).toEqual([{ id: "b" }]);
    });

    test("setPayload merges or overwrites, deletePayloadKeys removes, delete by ids and by filter", async () => {
      await client.upsert("docs", [{ id: "tmp1", vector: [1, 1, 0], payload: { lang: "xx", keep: 1 } }, { id: "tmp2", vector: [1, 0, 1], payload: { lang: "yy" } }]);
      expect(await client.setPayload("docs", ["tmp1", "nope"], { reviewed: true })).toEqual({ updated: 1 });
      expect((await client.get("docs", ["tmp1"]))[0]!.payload).toEqual({ lang: "xx", keep: 1, reviewed: true });
      await client.setPayload("docs", ["tmp1"], { only: "this", lang: "xx" }, { overwrite: true });
      expect((await client.get("docs", ["tmp1"]))[0]!.payload).toEqual({ only: "this", lang: "xx" });
      expect(await client.deletePayloadKeys("docs", ["tmp1"], ["only"])).toEqual({ updated: 1 });
      expect((await client.get("docs", ["tmp1"]))[0]!.payload).toEqual({ lang: "xx" });

      expect(await client.count("docs")).toBe(7);
      expect(await client.delete("docs", { ids: ["tmp1", "never-was"] })).toEqual({ deleted: 1 });
      expect(await client.delete("docs", { filter: { must: [{ key: "lang", match: { value: "yy" } }] } })).toEqual({ deleted: 1 });
      expect(await client.count("docs")).toBe(5);
      expect((await client.getCollection("docs")).pointCount).toBe(5);
    });

    test("scroll pages with the server's cursor: every point once, in id order, filtered too", async () => {
      const before = proxy.seenFor("Scroll").length;
      const all = [];
      for await (const point of proxied.scroll("docs", { pageSize: 2, withVector: true })) all.push(point);
      expect(all.map((p) => p.id)).toEqual(["a", "b", "c", "d", "e"]);
      expect(all[3]).toEqual({ id: "d", vector: [0, 1, 0], payload: docs[3]!.payload! });
      expect(proxy.seenFor("Scroll").length - before).toBeGreaterThanOrEqual(3);

      const english = [];
      for await (const point of client.scroll("docs", { pageSize: 1, withPayload: false, filter: { must: [{ key: "lang", match: { value: "en" } }] } })) {
        english.push(point);
      }
      expect(english).toEqual([{ id: "a" }, { id: "c" }, { id: "e" }]);
    });
  });

  describe("batching", () => {
    const total = 25_000;

    test("25,000 points in batches of 10,000: three requests, progress at 10k, 20k and 25k", async () => {
      await client.createCollection({ name: "numbers", dimension: 4, metric: "euclidean", shards: 2 });
      const progress: BatchProgress[] = [];
      const before = proxy.seenFor("Upsert").length;
      const result = await proxied.upsert("numbers", numberedPoints(total), { batchSize: 10_000, onProgress: (p) => progress.push(p) });
      expect(result).toEqual({ upserted: total });
      expect(progress).toEqual([
        { done: 10_000, total },
        { done: 20_000, total },
        { done: 25_000, total },
      ]);
      expect(proxy.seenFor("Upsert").length - before).toBe(3);
      expect(await client.count("numbers")).toBe(total);
    });

    test("by default a batch is the server's 10,000 points; concurrent batches all land", async () => {
      const before = proxy.seenFor("Upsert").length;
      await proxied.upsert("numbers", numberedPoints(total));
      expect(proxy.seenFor("Upsert").length - before).toBe(3);

      const progress: number[] = [];
      const moved = numberedPoints(total).map((p) => ({ ...p, payload: { ...p.payload, moved: true } }));
      const result = await client.upsert("numbers", moved, { batchSize: 4_000, concurrency: 3, onProgress: (p) => progress.push(p.done) });
      expect(result.upserted).toBe(total);
      expect(progress).toHaveLength(7);
      expect(progress.at(-1)).toBe(total);
      expect([...progress].sort((x, y) => x - y)).toEqual(progress);
      expect(await client.count("numbers", { filter: { must: [{ key: "moved", match: { value: true } }] } })).toBe(total);
    });

    test("scroll over 25,000 points yields each exactly once, in id order", async () => {
      const before = proxy.seenFor("Scroll").length;
      const ids: string[] = [];
      for await (const point of proxied.scroll("numbers", { pageSize: 1000, withPayload: false })) ids.push(point.id);
      expect(ids).toHaveLength(total);
      expect(new Set(ids).size).toBe(total);
      expect(ids).toEqual(numberedPoints(total).map((p) => p.id));
      expect(proxy.seenFor("Scroll").length - before).toBeGreaterThanOrEqual(25);

      let evens = 0;
      for await (const point of client.scroll("numbers", { pageSize: 999, filter: { must: [{ key: "even", match: { value: true } }] } })) {
        expect(point.payload!.even).toBe(true);
        evens++;
      }
      expect(evens).toBe(total / 2);
    });

    test("batches also split by estimated bytes, below the server's body limit", async () => {
      await client.createCollection({ name: "wide", dimension: 4096, metric: "dot" });
      const wide = Array.from({ length: 600 }, (_, i) => ({ id: `w${i}`, vector: new Float32Array(4096).fill((i % 10) + 1) }));
      // 600 × 16 KiB ≈ 9.4 MiB in one request: over the test node's 8 MiB limit.
      const tooBig = await rejectionOf(client.upsert("wide", wide, { maxBatchBytes: 64 << 20 }));
      expect(tooBig).toBeInstanceOf(ResourceExhaustedError);
      expect(tooBig).toMatchObject({ code: "resource_exhausted", attempts: 1 });

      const progress: number[] = [];
      await client.upsert("wide", wide, { maxBatchBytes: 4 << 20, onProgress: (p) => progress.push(p.done) });
      expect(progress).toHaveLength(3);
      expect(await client.count("wide")).toBe(600);
      await client.deleteCollection("wide");
    });
  });

  describe("typed errors", () => {
    test("each server code arrives as its class, with the server's message", async () => {
      const unknown = await rejectionOf(client.search("no-such-collection", [1, 0, 0]));
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(unknown).toMatchObject({ code: "not_found", rpc: "Search" });

      const badDimension = await rejectionOf(client.search("docs", [1, 0]));
      expect(badDimension).toBeInstanceOf(InvalidArgumentError);
      expect((badDimension as VectronClientError).serverMessage).toContain("vector");

      const stranger = createVectronClient({ baseUrl: node.baseUrl, apiKey: "vk_not_a_real_key" });
      expect(await rejectionOf(stranger.count("docs"))).toBeInstanceOf(UnauthenticatedError);

      const readOnlyKey = await account.asSession.auth.createApiKey({ name: "reader", readOnly: true });
      const reader = client.withCredentials({ apiKey: readOnlyKey.key });
      expect(await reader.count("docs")).toBe(5);
      const write = await rejectionOf(reader.upsert("docs", [{ id: "x", vector: [1, 0, 0] }]));
      expect(write).toBeInstanceOf(PermissionDeniedError);
      expect((write as VectronClientError).serverMessage).toContain("read-only");
    });

    test("misuse throws a TypeError before anything is sent", async () => {
      expect(() => createVectronClient({ baseUrl: "127.0.0.1:8080" })).toThrow(TypeError);
      expect(() => createVectronClient({ baseUrl: node.baseUrl, apiKey: "k", token: "t" } as never)).toThrow("apiKey or token, not both");
      expect(() => createVectronClient({ baseUrl: node.baseUrl, retry: { attempts: 0 } })).toThrow("retry.attempts");
      const before = proxy.seen.length;
      const both = { key: "lang", match: { value: "en" }, range: { gt: 1 } } as never;
      expect(await rejectionOf(proxied.search("docs", [1, 0, 0], { filter: { must: [both] } }))).toBeInstanceOf(TypeError);
      expect(await rejectionOf(proxied.delete("docs", { ids: ["a"], filter: {} } as never))).toBeInstanceOf(TypeError);
      expect(await rejectionOf(proxied.createCollection({ name: "x", dimension: 3, metric: "manhattan" as never }))).toBeInstanceOf(TypeError);
      expect(proxy.seen.length).toBe(before);
    });
  });
});
