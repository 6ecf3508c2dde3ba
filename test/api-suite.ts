import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { Distance, PayloadIndexKind, ReadConsistency, ReplicaRole, ReplicaState } from "@vectron/proto/v1";
import { exactScore, type Measure } from "@vectron/datasets";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { callJson } from "./support/connect-json";
import { grpcCall, grpcClients, grpcStatus } from "./support/grpc-clients";
import { startTestNode, TEST_MAX_REQUEST_BYTES, type DatabaseKind, type TestNode } from "./support/in-process-node";

/** Expects the promise to fail with this Connect code and a message containing `text`. */
async function expectCode(promise: Promise<unknown>, code: Code, text?: string) {
  const err = await promise.then(
    () => undefined,
    (e) => e,
  );
  expect(err).toBeInstanceOf(ConnectError);
  expect(Code[(err as ConnectError).code]).toBe(Code[code]);
  if (text) expect((err as ConnectError).rawMessage).toContain(text);
}

const PAYLOAD = {
  title: "naïve café ✓ 雪",
  count: 42,
  ratio: -0.125,
  flag: true,
  nothing: null,
  tags: ["a", "b", 3, false],
  nested: { deep: { deeper: [1, { x: "y" }] } },
};

/** Small vectors whose nearest neighbours differ per measure. */
function vectors(n: number, dim: number, seed = 1): Float32Array[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, next));
}

/**
 * Every RPC of the public and account APIs against one node whose accounts and placement
 * live on the given database. Run for PGlite and for Postgres (api-*.test.ts).
 */
export function describeApiSuite(database: DatabaseKind) {
  describe(`API on ${database}`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await startTestNode(database);
    }, 60_000);
    afterAll(async () => {
      await node?.stop();
    });

    test("accounts: register, login, profile, API keys", async () => {
      const anon = connectClients(node.baseUrl).auth;
      const email = `Mixed.Case-${Date.now()}@Example.com`;
      const { user } = await anon.registerUser({ email, password: "a long password" });
      expect(user?.email).toBe(email.toLowerCase());
      expect(user?.plan).toBe("free");
      // A taken email is answered like a new one (nothing tells that it has an account),
      // and the password sent with it does not log in.
      const again = (await anon.registerUser({ email: email.toUpperCase(), password: "another long password" })).user!;
      expect(again).toMatchObject({ email: user!.email, plan: "free" });
      expect(again.id).not.toBe(user!.id);
      await expectCode(anon.login({ email, password: "another long password" }), Code.Unauthenticated);
      await expectCode(anon.registerUser({ email: "not-an-email", password: "a long password" }), Code.InvalidArgument, "email");
      await expectCode(anon.registerUser({ email: `x${email}`, password: "short" }), Code.InvalidArgument, "password");
      await expectCode(anon.login({ email, password: "wrong password" }), Code.Unauthenticated);
      await expectCode(anon.login({ email: `nobody-${email}`, password: "a long password" }), Code.Unauthenticated);

      const login = await anon.login({ email, password: "a long password" });
      expect(login.token.split(".")).toHaveLength(3);
      expect(login.expiresAt!.seconds).toBeGreaterThan(BigInt(Math.floor(Date.now() / 1000)));
      const session = connectClients(node.baseUrl, login.token).auth;
      expect((await session.getUserProfile({})).user?.id).toBe(user!.id);
      await expectCode(anon.getUserProfile({}), Code.Unauthenticated);
      await expectCode(connectClients(node.baseUrl, `${login.token}x`).auth.getUserProfile({}), Code.Unauthenticated);

      const created = await session.createAPIKey({ name: "ci" });
      expect(created.key.startsWith(created.apiKey!.prefix)).toBe(true);
      expect(created.key.length).toBeGreaterThan(40);
      const { apiKeys } = await session.listAPIKeys({});
      expect(apiKeys.map((k) => k.id)).toEqual([created.apiKey!.id]);
      expect(JSON.stringify(apiKeys.map((k) => [k.id, k.name, k.prefix]))).not.toContain(created.key);
      expect(Object.values(apiKeys[0]!).filter((v) => typeof v === "string" && v.includes(created.key))).toEqual([]);
      // An API key is not a session: account management needs a login.
      await expectCode(connectClients(node.baseUrl, created.key).auth.listAPIKeys({}), Code.Unauthenticated);

      const withKey = connectClients(node.baseUrl, created.key).vectron;
      expect((await withKey.listCollections({})).collections).toEqual([]);
      await session.deleteAPIKey({ id: created.apiKey!.id });
      await expectCode(withKey.listCollections({}), Code.Unauthenticated);
      await expectCode(session.deleteAPIKey({ id: created.apiKey!.id }), Code.NotFound);
      expect((await session.listAPIKeys({})).apiKeys).toEqual([]);
    });

    test("collections: create, get, list, delete, and their errors", async () => {
      const account = await newAccount(node.baseUrl, "collections");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      const { collection } = await api.createCollection({ name: "docs", dimension: 8, distance: Distance.COSINE, shardCount: 3 });
      expect(collection).toMatchObject({ name: "docs", dimension: 8, distance: Distance.COSINE, shardCount: 3, replicationFactor: 1 });
      await expectCode(api.createCollection({ name: "docs", dimension: 8, distance: Distance.COSINE }), Code.AlreadyExists);
      await expectCode(api.createCollection({ name: "", dimension: 8, distance: Distance.COSINE }), Code.InvalidArgument, "name");
      await expectCode(api.createCollection({ name: "bad/name", dimension: 8, distance: Distance.COSINE }), Code.InvalidArgument, "name");
      await expectCode(api.createCollection({ name: "d0", dimension: 0, distance: Distance.COSINE }), Code.InvalidArgument, "dimension");
      await expectCode(api.createCollection({ name: "d1", dimension: 5000, distance: Distance.COSINE }), Code.InvalidArgument, "dimension");
      await expectCode(api.createCollection({ name: "d2", dimension: 4 }), Code.InvalidArgument, "distance");
      await expectCode(api.createCollection({ name: "d3", dimension: 4, distance: Distance.DOT, shardCount: 65 }), Code.InvalidArgument, "shardCount");
      await expectCode(api.createCollection({ name: "d4", dimension: 4, distance: Distance.DOT, replicationFactor: 2 }), Code.InvalidArgument, "replicationFactor");

      const got = (await api.getCollection({ name: "docs" })).collection!;
      expect(got.shards.map((s) => s.id)).toEqual([0, 1, 2]);
      for (const shard of got.shards) {
        expect(shard.replicas).toHaveLength(1);
        expect(shard.replicas[0]).toMatchObject({ role: ReplicaRole.PRIMARY, state: ReplicaState.ACTIVE });
        expect(shard.replicas[0]!.workerId).toStartWith("node-");
      }
      await api.createCollection({ name: "another", dimension: 2, distance: Distance.EUCLIDEAN });
      expect((await api.listCollections({})).collections.map((c) => c.name)).toEqual(["another", "docs"]);
      await api.deleteCollection({ name: "docs" });
      await expectCode(api.getCollection({ name: "docs" }), Code.NotFound);
      await expectCode(api.deleteCollection({ name: "docs" }), Code.NotFound);
      expect((await api.listCollections({})).collections.map((c) => c.name)).toEqual(["another"]);
      // A deleted name can be used again, and starts empty.
      await api.createCollection({ name: "docs", dimension: 8, distance: Distance.COSINE, shardCount: 3 });
      expect((await api.count({ collection: "docs" })).count).toBe(0n);
    });

    for (const [distance, measure] of [
      [Distance.COSINE, "cosine"],
      [Distance.EUCLIDEAN, "euclidean"],
      [Distance.DOT, "dot"],
    ] as [Distance, Measure][]) {
      test(`points with ${measure}: upsert, get, search, count, scroll, delete`, async () => {
        const account = await newAccount(node.baseUrl, measure);
        const api = connectClients(node.baseUrl, account.apiKey).vectron;
        const dim = 16;
        await api.createCollection({ name: "pts", dimension: dim, distance, shardCount: 4 });
        const data = vectors(300, dim, distance);
        const points = data.map((v, i) => ({ id: `p${i}`, vector: Array.from(v), payload: { ...PAYLOAD, i } }));
        expect((await api.upsert({ collection: "pts", points })).upserted).toBe(300);
        expect((await api.count({ collection: "pts" })).count).toBe(300n);
        expect((await api.getCollection({ name: "pts" })).collection!.pointCount).toBe(300n);

        const got = await api.get({ collection: "pts", ids: ["p7", "missing", "p3", "p7"] });
        expect(got.points.map((p) => p.id)).toEqual(["p7", "p3"]);
        expect(got.points[0]!.payload).toEqual({ ...PAYLOAD, i: 7 });
        expect(got.points[0]!.vector).toEqual(Array.from(data[7]!));
        const bare = await api.get({ collection: "pts", ids: ["p7"], withPayload: false, withVector: false });
        expect(bare.points[0]).toMatchObject({ id: "p7", vector: [] });
        expect(bare.points[0]!.payload).toBeUndefined();

        const query = data[11]!;
        const { results } = await api.search({ collection: "pts", vector: Array.from(query), topK: 10 });
        expect(results).toHaveLength(10);
        const exact = data
          .map((v, i) => ({ id: `p${i}`, score: exactScore(measure, query, v) }))
          .sort((a, b) => (measure === "euclidean" ? a.score - b.score : b.score - a.score));
        expect(results.map((r) => r.id)).toEqual(exact.slice(0, 10).map((e) => e.id));
        results.forEach((r, i) => expect(r.score).toBeCloseTo(exact[i]!.score, 3));
        expect(results[0]!.payload).toEqual({ ...PAYLOAD, i: Number(results[0]!.id.slice(1)) });
        expect(results[0]!.vector).toEqual([]);
        const withVectors = await api.search({ collection: "pts", vector: Array.from(query), topK: 3, withVector: true, withPayload: false });
        expect(withVectors.results[0]!.vector).toEqual(Array.from(data[Number(withVectors.results[0]!.id.slice(1))]!));
        expect(withVectors.results[0]!.payload).toBeUndefined();
        expect((await api.search({ collection: "pts", vector: Array.from(query) })).results).toHaveLength(10);

        const seen: string[] = [];
        let cursor = "";
        do {
          const page = await api.scroll({ collection: "pts", limit: 70, cursor });
          expect(page.points.length).toBeLessThanOrEqual(70);
          for (const p of page.points) {
            expect(p.payload).toEqual({ ...PAYLOAD, i: Number(p.id.slice(1)) });
            seen.push(p.id);
          }
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(points.map((p) => p.id).sort());

        // Replace: new vector and payload win everywhere.
        await api.upsert({ collection: "pts", points: [{ id: "p11", vector: Array.from(data[200]!), payload: { replaced: true } }] });
        expect((await api.get({ collection: "pts", ids: ["p11"] })).points[0]).toMatchObject({ payload: { replaced: true }, vector: Array.from(data[200]!) });
        expect((await api.count({ collection: "pts" })).count).toBe(300n);

        expect((await api.delete({ collection: "pts", ids: ["p11", "p12", "nope"] })).deleted).toBe(2);
        expect((await api.count({ collection: "pts" })).count).toBe(298n);
        expect((await api.get({ collection: "pts", ids: ["p11", "p12"] })).points).toEqual([]);
        const after = await api.search({ collection: "pts", vector: Array.from(data[12]!), topK: 50 });
        expect(after.results.map((r) => r.id)).not.toContain("p12");
        expect(after.results.map((r) => r.id)).not.toContain("p11");
      });
    }

    test("SearchBatch answers each query as Search does, across shards", async () => {
      const account = await newAccount(node.baseUrl, "batch");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      const data = vectors(200, 8, 3);
      await api.createCollection({ name: "b", dimension: 8, distance: Distance.EUCLIDEAN, shardCount: 3 });
      await api.upsert({ collection: "b", points: data.map((v, i) => ({ id: `b${i}`, vector: Array.from(v), payload: { i } })) });
      const queries = data.slice(0, 6).map((v, i) => ({ vector: Array.from(v), topK: i + 1 }));
      const { batches } = await api.searchBatch({ collection: "b", queries, withVector: true });
      expect(batches).toHaveLength(6);
      for (let i = 0; i < queries.length; i++) {
        const single = await api.search({ collection: "b", vector: queries[i]!.vector, topK: queries[i]!.topK, withVector: true });
        expect(batches[i]!.results).toEqual(single.results);
        expect(batches[i]!.results).toHaveLength(i + 1);
      }
      // A wider per-request search keeps topK results; beyond the limit is refused.
      const wide = await api.search({ collection: "b", vector: queries[0]!.vector, topK: 5, ef: 300 });
      expect(wide.results.map((r) => r.id)).toEqual((await api.search({ collection: "b", vector: queries[0]!.vector, topK: 5 })).results.map((r) => r.id));
      expect((await api.searchBatch({ collection: "b", queries, ef: 300 })).batches.map((b) => b.results.length)).toEqual([1, 2, 3, 4, 5, 6]);
      await expectCode(api.search({ collection: "b", vector: queries[0]!.vector, ef: 4097 }), Code.InvalidArgument, "ef");
      await expectCode(api.searchBatch({ collection: "b", queries: [] }), Code.InvalidArgument, "queries");
      await expectCode(api.searchBatch({ collection: "b", queries: [queries[0]!, { vector: [1] }] }), Code.InvalidArgument, "queries[1].vector");
      await expectCode(api.searchBatch({ collection: "b", queries: [{ vector: queries[0]!.vector, topK: 1001 }] }), Code.InvalidArgument, "queries[0].topK");
      const many = Array.from({ length: 1001 }, () => ({ vector: queries[0]!.vector }));
      await expectCode(api.searchBatch({ collection: "b", queries: many }), Code.InvalidArgument, "limit is 1000");
      const heavy = Array.from({ length: 101 }, () => ({ vector: queries[0]!.vector, topK: 1000 }));
      await expectCode(api.searchBatch({ collection: "b", queries: heavy }), Code.InvalidArgument, "results in all");
      await expectCode(api.searchBatch({ collection: "nope", queries }), Code.NotFound);
    });

    test("payload filters on Search, SearchBatch, Count and Scroll (Connect JSON, as documented)", async () => {
      const account = await newAccount(node.baseUrl, "filters");
      const post = (method: string, body: unknown) => callJson(node.baseUrl, `vectron.v1.VectronService/${method}`, body, account.apiKey);
      const data = vectors(400, 8, 5);
      const payloadOf = (i: number) => ({ group: `g${i % 4}`, n: i, tags: i % 3 === 0 ? ["red", "blue"] : ["green"], meta: { even: i % 2 === 0 } });
      expect((await post("CreateCollection", { name: "f", dimension: 8, distance: "DISTANCE_EUCLIDEAN", shardCount: 3 })).status).toBe(200);
      const points = data.map((v, i) => ({ id: `f${i}`, vector: Array.from(v), payload: payloadOf(i) }));
      expect((await post("Upsert", { collection: "f", points })).body.upserted).toBe(400);
      const cases: [unknown, (i: number) => boolean][] = [
        [{ must: [{ key: "group", match: { value: "g1" } }] }, (i) => i % 4 === 1],
        [{ must: [{ key: "n", range: { gte: 10, lt: 20 } }] }, (i) => i >= 10 && i < 20],
        [{ must: [{ key: "tags", match: { any: ["red", "nope"] } }] }, (i) => i % 3 === 0],
        [{ must: [{ key: "meta.even", match: { value: true } }], mustNot: [{ key: "group", match: { value: "g0" } }] }, (i) => i % 2 === 0 && i % 4 !== 0],
        [{ should: [{ key: "n", match: { value: 7 } }, { key: "n", match: { value: 300 } }] }, (i) => i === 7 || i === 300],
        [{ must: [{ key: "missing.key", match: { value: 1 } }] }, () => false],
        [{}, () => true],
      ];
      for (const [filter, keep] of cases) {
        const expected = data.map((_, i) => i).filter(keep);
        expect(Number((await post("Count", { collection: "f", filter })).body.count)).toBe(expected.length);
        const scrolled = (await post("Scroll", { collection: "f", filter, limit: 1000 })).body.points.map((p: any) => p.id);
        expect(scrolled).toEqual(expected.map((i) => `f${i}`).sort());
        const query = Array.from(data[123]!);
        const truth = expected
          .map((i) => ({ id: `f${i}`, score: exactScore("euclidean", data[123]!, data[i]!) }))
          .sort((a, b) => a.score - b.score)
          .slice(0, 5)
          .map((h) => h.id);
        const found = (await post("Search", { collection: "f", vector: query, topK: 5, filter })).body.results;
        expect(found.map((r: any) => r.id)).toEqual(truth);
        for (const hit of found) expect(keep(hit.payload.n)).toBe(true);
        const batch = (await post("SearchBatch", { collection: "f", queries: [{ vector: query, topK: 5, filter }, { vector: query, topK: 2 }] })).body;
        expect(batch.batches[0].results.map((r: any) => r.id)).toEqual(truth);
        expect(batch.batches[1].results).toHaveLength(2);
      }
    });

    test("SetPayload, DeletePayloadKeys and Delete by filter, without resending vectors", async () => {
      const account = await newAccount(node.baseUrl, "payloads");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      const data = vectors(60, 4, 9);
      await api.createCollection({ name: "p", dimension: 4, distance: Distance.DOT, shardCount: 2 });
      await api.upsert({ collection: "p", points: data.map((v, i) => ({ id: `p${i}`, vector: Array.from(v), payload: { i, kind: i % 3 === 0 ? "a" : "b", drop: 1 } })) });
      expect((await api.setPayload({ collection: "p", ids: ["p1", "p2", "nope"], payload: { kind: "c", extra: { deep: true } } })).updated).toBe(2);
      const [p1] = (await api.get({ collection: "p", ids: ["p1"] })).points;
      expect(p1!.payload).toEqual({ i: 1, kind: "c", drop: 1, extra: { deep: true } });
      expect(p1!.vector).toEqual(Array.from(data[1]!));
      expect((await api.setPayload({ collection: "p", ids: ["p2"], payload: { only: 1 }, overwrite: true })).updated).toBe(1);
      expect((await api.get({ collection: "p", ids: ["p2"] })).points[0]!.payload).toEqual({ only: 1 });
      expect((await api.deletePayloadKeys({ collection: "p", ids: ["p1", "p3"], keys: ["drop", "absent"] })).updated).toBe(2);
      expect((await api.get({ collection: "p", ids: ["p3"] })).points[0]!.payload).toEqual({ i: 3, kind: "a" });
      // The index follows the new versions: a point is still found by its own vector.
      const self = await api.search({ collection: "p", vector: Array.from(data[1]!), topK: 60 });
      expect(self.results.map((r) => r.id)).toContain("p1");
      expect(self.results.find((r) => r.id === "p1")!.payload).toEqual({ i: 1, kind: "c", extra: { deep: true } });
      expect((await api.count({ collection: "p" })).count).toBe(60n);

      const kindA = { must: [{ key: "kind", test: { case: "match" as const, value: { kind: { case: "value" as const, value: { kind: { case: "stringValue" as const, value: "a" } } } } } }] };
      const matching = Number((await api.count({ collection: "p", filter: kindA })).count);
      expect(matching).toBe(20);
      expect((await api.delete({ collection: "p", filter: kindA })).deleted).toBe(20);
      expect((await api.count({ collection: "p" })).count).toBe(40n);
      expect((await api.count({ collection: "p", filter: kindA })).count).toBe(0n);
      const left = await api.search({ collection: "p", vector: Array.from(data[0]!), topK: 60 });
      expect(left.results).toHaveLength(40);
      expect(left.results.some((r) => (r.payload as any).kind === "a")).toBe(false);

      await expectCode(api.delete({ collection: "p", ids: ["p1"], filter: kindA }), Code.InvalidArgument, "either ids or a filter");
      await expectCode(api.delete({ collection: "p", filter: {} }), Code.InvalidArgument, "at least one condition");
      await expectCode(api.setPayload({ collection: "p", ids: ["p1"] }), Code.InvalidArgument, "payload");
      await expectCode(api.setPayload({ collection: "p", ids: [], payload: {} }), Code.InvalidArgument, "ids");
      await expectCode(api.deletePayloadKeys({ collection: "p", ids: ["p1"], keys: [] }), Code.InvalidArgument, "keys");
      await expectCode(api.setPayload({ collection: "nope", ids: ["p1"], payload: {} }), Code.NotFound);
      // Merges cannot grow a payload past the limit (64 KiB), one allowed patch at a time.
      await api.setPayload({ collection: "p", ids: ["p5"], payload: { a: "x".repeat(40_000) } });
      await expectCode(api.setPayload({ collection: "p", ids: ["p5"], payload: { b: "y".repeat(40_000) } }), Code.InvalidArgument, "limit is 65536");
      expect(Object.keys((await api.get({ collection: "p", ids: ["p5"] })).points[0]!.payload!)).not.toContain("b");
    });

    test("payload indexes: declared at creation or later, listed, dropped; filtered answers never change", async () => {
      const account = await newAccount(node.baseUrl, "indexes");
      const post = (method: string, body: unknown) => callJson(node.baseUrl, `vectron.v1.VectronService/${method}`, body, account.apiKey);
      const created = await post("CreateCollection", {
        name: "ix",
        dimension: 4,
        distance: "DISTANCE_COSINE",
        shardCount: 2,
        payloadIndexes: [{ key: "group", kind: "PAYLOAD_INDEX_KIND_KEYWORD" }],
      });
      expect(created.body.collection.payloadIndexes).toEqual([{ key: "group", kind: "PAYLOAD_INDEX_KIND_KEYWORD" }]);
      const data = vectors(300, 4, 11);
      await post("Upsert", { collection: "ix", points: data.map((v, i) => ({ id: `x${i}`, vector: Array.from(v), payload: { group: `g${i % 10}`, n: i } })) });
      const filter = { must: [{ key: "group", match: { value: "g3" } }, { key: "n", range: { gte: 100 } }] };
      const answers = async () => ({
        count: (await post("Count", { collection: "ix", filter })).body.count,
        search: (await post("Search", { collection: "ix", vector: Array.from(data[7]!), topK: 5, filter })).body.results.map((r: any) => r.id),
      });
      const before = await answers();
      expect(before.count).toBe("20");
      const withN = await post("CreatePayloadIndex", { collection: "ix", index: { key: "n", kind: "PAYLOAD_INDEX_KIND_INTEGER" } });
      expect(withN.body.collection.payloadIndexes.map((i: any) => i.key)).toEqual(["group", "n"]);
      expect(await answers()).toEqual(before);
      const got = (await post("GetCollection", { name: "ix" })).body.collection;
      expect(got.payloadIndexes).toEqual([{ key: "group", kind: "PAYLOAD_INDEX_KIND_KEYWORD" }, { key: "n", kind: "PAYLOAD_INDEX_KIND_INTEGER" }]);
      const dropped = await post("DeletePayloadIndex", { collection: "ix", key: "group" });
      expect(dropped.body.collection.payloadIndexes.map((i: any) => i.key)).toEqual(["n"]);
      expect(await answers()).toEqual(before);
      expect((await post("DeletePayloadIndex", { collection: "ix", key: "group" })).body.code).toBe("not_found");
      const bad = await post("CreatePayloadIndex", { collection: "ix", index: { key: "a..b", kind: "PAYLOAD_INDEX_KIND_FLOAT" } });
      expect(bad.body.code).toBe("invalid_argument");
      expect(bad.body.message).toContain("index.key");
      expect((await post("CreatePayloadIndex", { collection: "ix", index: { key: "x" } })).body.message).toContain("index.kind");
    });

    test("Scroll's cursor is stable under concurrent writes: every point present throughout appears exactly once", async () => {
      const account = await newAccount(node.baseUrl, "scrolling");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      await api.createCollection({ name: "s", dimension: 2, distance: Distance.EUCLIDEAN, shardCount: 3 });
      const stable = Array.from({ length: 300 }, (_, i) => `stable-${String(i).padStart(3, "0")}`);
      const churn = Array.from({ length: 200 }, (_, i) => `churn-${String(i).padStart(3, "0")}`);
      await api.upsert({ collection: "s", points: [...stable, ...churn].map((id, i) => ({ id, vector: [i, 1] })) });
      const seen: string[] = [];
      let cursor = "";
      let page = 0;
      do {
        const reply = await api.scroll({ collection: "s", limit: 37, cursor, withPayload: false });
        seen.push(...reply.points.map((p) => p.id));
        cursor = reply.nextCursor;
        // Between pages: delete some churn points, add new ones on both sides of the cursor.
        await api.delete({ collection: "s", ids: [churn[page * 7]!, churn[page * 7 + 3]!].filter(Boolean) });
        await api.upsert({ collection: "s", points: [{ id: `aaa-new-${page}`, vector: [0, 0] }, { id: `zzz-new-${page}`, vector: [1, 1] }] });
        page++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length); // nothing twice
      for (const id of stable) expect(seen).toContain(id); // nothing present throughout is skipped
      expect([...seen].sort()).toEqual(seen); // id order (ASCII ids: byte order)
      expect(seen.some((id) => id.startsWith("aaa-new-"))).toBe(false); // behind the cursor: not seen
    });

    test("bad input gets a clear code naming the field, and the server keeps serving", async () => {
      const account = await newAccount(node.baseUrl, "validation");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      await api.createCollection({ name: "v", dimension: 3, distance: Distance.EUCLIDEAN });
      const ok = { id: "a", vector: [1, 2, 3] };
      await expectCode(api.upsert({ collection: "v", points: [{ id: "a", vector: [1, 2] }] }), Code.InvalidArgument, "points[0].vector");
      await expectCode(api.upsert({ collection: "v", points: [ok, { id: "b", vector: [1, Number.NaN, 3] }] }), Code.InvalidArgument, "points[1].vector[1]");
      await expectCode(api.upsert({ collection: "v", points: [{ id: "b", vector: [1, Infinity, 3] }] }), Code.InvalidArgument, "finite");
      // Beyond float32's range: refused while decoding, naming the field.
      await expectCode(api.upsert({ collection: "v", points: [{ id: "b", vector: [1, 1e39, 3] }] }), Code.InvalidArgument, "Point.vector");
      await expectCode(api.upsert({ collection: "v", points: [] }), Code.InvalidArgument, "points");
      await expectCode(api.upsert({ collection: "v", points: [{ id: "", vector: [1, 2, 3] }] }), Code.InvalidArgument, "points[0].id");
      await expectCode(api.upsert({ collection: "v", points: [{ id: "x".repeat(257), vector: [1, 2, 3] }] }), Code.InvalidArgument, "points[0].id");
      const many = Array.from({ length: 10_001 }, (_, i) => ({ id: `m${i}`, vector: [1, 2, 3] }));
      await expectCode(api.upsert({ collection: "v", points: many }), Code.InvalidArgument, "limit is 10000");
      await expectCode(api.upsert({ collection: "v", points: [{ ...ok, payload: { big: "x".repeat(70_000) } }] }), Code.InvalidArgument, "points[0].payload");
      await expectCode(api.upsert({ collection: "nope", points: [ok] }), Code.NotFound, "nope");
      // Replication options: a quorum beyond the replication factor, an unknown consistency.
      await expectCode(api.upsert({ collection: "v", points: [ok], writeQuorum: 2 }), Code.InvalidArgument, "writeQuorum");
      await expectCode(api.search({ collection: "v", vector: [1, 2, 3], consistency: 7 as ReadConsistency }), Code.InvalidArgument, "consistency");
      await expectCode(api.get({ collection: "v", ids: ["a"], consistency: 7 as ReadConsistency }), Code.InvalidArgument, "consistency");
      await expectCode(api.count({ collection: "v", consistency: 7 as ReadConsistency }), Code.InvalidArgument, "consistency");
      await expectCode(api.scroll({ collection: "v", consistency: 7 as ReadConsistency }), Code.InvalidArgument, "consistency");
      await expectCode(api.search({ collection: "v", vector: [1, 2] }), Code.InvalidArgument, "vector");
      await expectCode(api.search({ collection: "v", vector: [1, 2, 3], topK: 1001 }), Code.InvalidArgument, "topK");
      await expectCode(api.get({ collection: "v", ids: [] }), Code.InvalidArgument, "ids");
      await expectCode(api.scroll({ collection: "v", cursor: "not a cursor!" }), Code.InvalidArgument, "cursor");
      const badFilter = await callJson(
        node.baseUrl,
        "vectron.v1.VectronService/Count",
        { collection: "v", filter: { must: [{ key: "a", match: { value: { nested: 1 } } }] } },
        account.apiKey,
      );
      expect(badFilter.body).toMatchObject({ code: "invalid_argument" });
      expect(badFilter.body.message).toContain("filter.must[0].match.value");
      await expectCode(api.count({ collection: "v", filter: { must: [{ key: "" }] } }), Code.InvalidArgument, "filter.must[0]");
      await expectCode(
        connectClients(node.baseUrl, account.apiKey, "connect-binary").vectron.upsert({ collection: "v", points: [{ ...ok, payload: { deep: { x: Number.NaN } } }] }),
        Code.InvalidArgument,
        "points[0].payload.deep.x",
      );
      await api.createCollection({ name: "cos", dimension: 2, distance: Distance.COSINE });
      await expectCode(api.upsert({ collection: "cos", points: [{ id: "z", vector: [0, 0] }] }), Code.InvalidArgument, "all zeros");
      await expectCode(api.search({ collection: "cos", vector: [0, 0] }), Code.InvalidArgument, "all zeros");
      // Nothing of the refused batches was written.
      expect((await api.count({ collection: "v" })).count).toBe(0n);

      // Connect JSON over plain fetch: malformed bodies and credentials.
      const path = "vectron.v1.VectronService/Upsert";
      expect((await callJson(node.baseUrl, path, { collection: "v", points: [ok] })).body.code).toBe("unauthenticated");
      expect((await callJson(node.baseUrl, path, { collection: "v", points: [ok] }, "vk_garbage")).body.code).toBe("unauthenticated");
      const broken = await fetch(`${node.baseUrl}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${account.apiKey}` },
        body: "{not json",
      });
      expect(((await broken.json()) as any).code).toBe("invalid_argument");
      const wrongType = await callJson(node.baseUrl, path, { collection: "v", points: [{ id: 1, vector: "x" }] }, account.apiKey);
      expect(wrongType.body.code).toBe("invalid_argument");
      const typo = await callJson(node.baseUrl, "vectron.v1.VectronService/Search", { collection: "v", vector: [1, 2, 3], topk: 5 }, account.apiKey);
      expect(typo.body.code).toBe("invalid_argument");
      expect(typo.body.message).toContain("topk");
      const nan = await callJson(node.baseUrl, path, { collection: "v", points: [{ id: "n", vector: [1, "NaN", 3] }] }, account.apiKey);
      expect(nan.body).toMatchObject({ code: "invalid_argument" });
      expect(nan.body.message).toContain("points[0].vector[1]");

      const tooBig = await callJson(node.baseUrl, path, { collection: "v", points: [{ ...ok, payload: { pad: "x".repeat(TEST_MAX_REQUEST_BYTES) } }] }, account.apiKey);
      expect(tooBig.status).toBe(429);
      expect(tooBig.body.code).toBe("resource_exhausted");

      // A batch naming one id twice stores it once, the last one winning.
      expect((await api.upsert({ collection: "v", points: [{ ...ok, payload: { n: 1 } }, { ...ok, payload: { n: 2 } }] })).upserted).toBe(1);
      expect((await api.get({ collection: "v", ids: ["a"] })).points[0]!.payload).toEqual({ n: 2 });
      expect((await (await fetch(`${node.baseUrl}/health`)).json()) as any).toEqual({ status: "ok" });
    });

    test("every limit of the public API is refused with an error naming the field and the limit", async () => {
      const account = await newAccount(node.baseUrl, "limits");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      await api.createCollection({ name: "l", dimension: 3, distance: Distance.EUCLIDEAN });
      const ok = { id: "a", vector: [1, 2, 3] };
      await api.upsert({ collection: "l", points: [ok] });
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`);
      /** An object nested `levels` deep: {"a":{"a":...1}}. */
      type Deep = { a: Deep | number };
      const deep = (levels: number): Deep => (levels === 1 ? { a: 1 } : { a: deep(levels - 1) });
      const eq = (key: string) => ({ key, test: { case: "match" as const, value: { kind: { case: "value" as const, value: { kind: { case: "numberValue" as const, value: 1 } } } } } });
      const refusals: [string, () => Promise<unknown>, string][] = [
        ["dimension", () => api.createCollection({ name: "d", dimension: 4097, distance: Distance.COSINE }), "dimension: must be between 1 and 4096"],
        ["shards", () => api.createCollection({ name: "d", dimension: 2, distance: Distance.COSINE, shardCount: 65 }), "shardCount: is 65, the limit is 64"],
        ["points per upsert", () => api.upsert({ collection: "l", points: Array.from({ length: 10_001 }, (_, i) => ({ id: `m${i}`, vector: [1, 2, 3] })) }), "points: has 10001 points, the limit is 10000"],
        ["payload bytes", () => api.upsert({ collection: "l", points: [{ ...ok, payload: { big: "x".repeat(65_536) } }] }), "the limit is 65536"],
        ["payload depth", () => api.upsert({ collection: "l", points: [{ ...ok, payload: deep(33) }] }), "nests objects and arrays 33 levels deep in the payload, the limit is 32"],
        ["payload depth on update", () => api.setPayload({ collection: "l", ids: ["a"], payload: { list: [[deep(31)]] } }), "payload.list[0][0]"],
        ["id bytes", () => api.upsert({ collection: "l", points: [{ ...ok, id: "é".repeat(129) }] }), "points[0].id: is longer than 256 bytes"],
        ["ids per get", () => api.get({ collection: "l", ids: ids(10_001) }), "ids: has 10001 ids, the limit is 10000"],
        ["ids per delete", () => api.delete({ collection: "l", ids: ids(10_001) }), "ids: has 10001 ids, the limit is 10000"],
        ["ids per set payload", () => api.setPayload({ collection: "l", ids: ids(10_001), payload: {} }), "ids: has 10001 ids, the limit is 10000"],
        ["keys per delete payload keys", () => api.deletePayloadKeys({ collection: "l", ids: ["a"], keys: ids(1025) }), "keys: has 1025 keys, the limit is 1024"],
        ["key length", () => api.deletePayloadKeys({ collection: "l", ids: ["a"], keys: ["k".repeat(257)] }), "keys[0]: must be 1-256 characters"],
        ["topK", () => api.search({ collection: "l", vector: [1, 2, 3], topK: 1001 }), "topK: is 1001, the limit is 1000"],
        ["ef", () => api.search({ collection: "l", vector: [1, 2, 3], ef: 4097 }), "ef: is 4097, the limit is 4096"],
        ["batch queries", () => api.searchBatch({ collection: "l", queries: Array.from({ length: 1001 }, () => ({ vector: [1, 2, 3] })) }), "queries: has 1001 queries, the limit is 1000"],
        ["batch results", () => api.searchBatch({ collection: "l", queries: Array.from({ length: 101 }, () => ({ vector: [1, 2, 3], topK: 1000 })) }), "ask for 101000 results in all, the limit is 100000"],
        ["scroll page", () => api.scroll({ collection: "l", limit: 1001 }), "limit: is 1001, the limit is 1000"],
        ["filter conditions", () => api.count({ collection: "l", filter: { must: ids(65).map(eq) } }), "filter: must have at most 64 conditions in all (has 65)"],
        ["filter any values", () => api.count({ collection: "l", filter: { must: [{ key: "k", test: { case: "match", value: { kind: { case: "any", value: { values: ids(1025).map((id) => ({ kind: { case: "stringValue" as const, value: id } })) } } } } }] } }), "filter.must[0].match.any: must have at most 1024 values (has 1025)"],
        ["filter key length", () => api.count({ collection: "l", filter: { should: [eq("k".repeat(257))] } }), "filter.should[0].key: must be at most 256 characters (has 257)"],
        ["filter key depth", () => api.count({ collection: "l", filter: { mustNot: [eq(Array(17).fill("k").join("."))] } }), "filter.mustNot[0].key: must have at most 16 segments (has 17)"],
        ["NaN", () => api.search({ collection: "l", vector: [1, Number.NaN, 3] }), "vector[1]: must be a finite number"],
        ["-Infinity", () => api.upsert({ collection: "l", points: [{ ...ok, vector: [1, 2, -Infinity] }] }), "points[0].vector[2]: must be a finite number"],
      ];
      for (const [limit, refused, message] of refusals) {
        const err = await refused().then(() => undefined, (e) => e);
        expect(err, limit).toBeInstanceOf(ConnectError);
        expect([Code[(err as ConnectError).code], (err as ConnectError).rawMessage], limit).toEqual([Code[Code.InvalidArgument], expect.stringContaining(message)]);
      }
      await api.createCollection({ name: "c", dimension: 2, distance: Distance.COSINE });
      await expectCode(api.searchBatch({ collection: "c", queries: [{ vector: [1, 1] }, { vector: [0, 0] }] }), Code.InvalidArgument, "queries[1].vector: must not be all zeros in a cosine collection");
      // Exactly at each limit is accepted, and a payload as deep as allowed reads back over binary protobuf too.
      expect((await api.upsert({ collection: "l", points: [{ ...ok, id: "deep", payload: deep(32) }] })).upserted).toBe(1);
      const binary = connectClients(node.baseUrl, account.apiKey, "connect-binary").vectron;
      expect((await binary.get({ collection: "l", ids: ["deep"] })).points[0]!.payload).toEqual(deep(32));
      await binary.delete({ collection: "l", ids: ["deep"] });
      expect((await api.upsert({ collection: "l", points: [{ ...ok, id: "é".repeat(128), payload: { big: "x".repeat(65_000) } }] })).upserted).toBe(1);
      expect((await api.scroll({ collection: "l", limit: 1000 })).points).toHaveLength(2);
      expect((await api.search({ collection: "l", vector: [1, 2, 3], topK: 1000, ef: 4096 })).results).toHaveLength(2);
      expect((await api.count({ collection: "l" })).count).toBe(2n);
    });

    test("a payload index the shards would refuse is refused before placement records it; the collection keeps working", async () => {
      const account = await newAccount(node.baseUrl, "badindex");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      await api.createCollection({ name: "ix", dimension: 2, distance: Distance.DOT, shardCount: 2 });
      const index = (key: string) => ({ collection: "ix", index: { key, kind: PayloadIndexKind.KEYWORD } });
      await expectCode(api.createPayloadIndex(index(Array(17).fill("k").join("."))), Code.InvalidArgument, "index.key: must have at most 16 segments (has 17)");
      await expectCode(api.createPayloadIndex(index("k".repeat(257))), Code.InvalidArgument, "index.key: must be at most 256 characters");
      await expectCode(api.createPayloadIndex(index("a..b")), Code.InvalidArgument, "index.key: must not have an empty segment");
      await expectCode(api.createPayloadIndex(index("nul\u0000key")), Code.InvalidArgument, "index.key: must not contain a NUL character");
      await expectCode(api.deletePayloadIndex({ collection: "ix", key: "nul\u0000key" }), Code.InvalidArgument, "key: must not contain a NUL character");
      for (let i = 0; i < 32; i++) await api.createPayloadIndex(index(`k${i}`));
      await expectCode(api.createPayloadIndex(index("k32")), Code.InvalidArgument, "has 32 payload indexes, the limit is 32");
      // Re-declaring an existing one is not a new index.
      expect((await api.createPayloadIndex(index("k0"))).collection!.payloadIndexes).toHaveLength(32);
      const { collection } = await api.getCollection({ name: "ix" });
      expect(collection!.payloadIndexes.map((i) => i.key)).toEqual(Array.from({ length: 32 }, (_, i) => `k${i}`).sort());
      // Nothing refused was recorded, so the shards still take writes and reads.
      expect((await api.upsert({ collection: "ix", points: [{ id: "a", vector: [1, 0], payload: { k0: "x" } }, { id: "b", vector: [0, 1] }] })).upserted).toBe(2);
      expect((await api.search({ collection: "ix", vector: [1, 0], topK: 1 })).results.map((r) => r.id)).toEqual(["a"]);
      expect((await api.scroll({ collection: "ix" })).points.map((p) => p.id)).toEqual(["a", "b"]);
    });

    test("CreateCollection refuses payload indexes the shards would refuse, and records nothing", async () => {
      const api = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "badcreate")).apiKey).vectron;
      const create = (keys: string[]) =>
        api.createCollection({ name: "cx", dimension: 2, distance: Distance.DOT, payloadIndexes: keys.map((key) => ({ key, kind: PayloadIndexKind.KEYWORD })) });
      await expectCode(create(["nul\u0000key"]), Code.InvalidArgument, "payloadIndexes[0].key: must not contain a NUL character");
      await expectCode(create(["ok", Array(17).fill("k").join(".")]), Code.InvalidArgument, "payloadIndexes[1].key: must have at most 16 segments");
      await expectCode(create(Array.from({ length: 33 }, (_, i) => `k${i}`)), Code.InvalidArgument, "payloadIndexes: has 33 indexes, the limit is 32");
      expect((await api.listCollections({})).collections).toEqual([]);
      await create(Array.from({ length: 32 }, (_, i) => `k${i}`));
      expect((await api.upsert({ collection: "cx", points: [{ id: "a", vector: [1, 0], payload: { k0: "x" } }] })).upserted).toBe(1);
    });

    test("two users cannot see or touch each other's collections", async () => {
      const alice = await newAccount(node.baseUrl, "alice");
      const bob = await newAccount(node.baseUrl, "bob");
      const a = connectClients(node.baseUrl, alice.apiKey).vectron;
      const b = connectClients(node.baseUrl, bob.apiKey).vectron;
      await a.createCollection({ name: "private", dimension: 2, distance: Distance.DOT });
      await a.upsert({ collection: "private", points: [{ id: "secret", vector: [1, 0], payload: { owner: "alice" } }] });
      expect((await b.listCollections({})).collections).toEqual([]);
      await expectCode(b.getCollection({ name: "private" }), Code.NotFound);
      await expectCode(b.get({ collection: "private", ids: ["secret"] }), Code.NotFound);
      await expectCode(b.search({ collection: "private", vector: [1, 0] }), Code.NotFound);
      await expectCode(b.upsert({ collection: "private", points: [{ id: "x", vector: [0, 1] }] }), Code.NotFound);
      await expectCode(b.delete({ collection: "private", ids: ["secret"] }), Code.NotFound);
      await expectCode(b.count({ collection: "private" }), Code.NotFound);
      await expectCode(b.scroll({ collection: "private" }), Code.NotFound);
      await expectCode(b.deleteCollection({ name: "private" }), Code.NotFound);
      // Bob may use the same name for his own, separate collection.
      await b.createCollection({ name: "private", dimension: 2, distance: Distance.DOT });
      expect((await b.count({ collection: "private" })).count).toBe(0n);
      expect((await a.get({ collection: "private", ids: ["secret"] })).points[0]?.payload).toEqual({ owner: "alice" });
      // Bob's key cannot delete Alice's API key either.
      const bobSession = connectClients(node.baseUrl, bob.session).auth;
      await expectCode(bobSession.deleteAPIKey({ id: alice.keyId }), Code.NotFound);
      expect((await a.count({ collection: "private" })).count).toBe(1n);
    });

    test("a read-only API key reads and searches; every write is permission_denied and changes nothing", async () => {
      const account = await newAccount(node.baseUrl, "readonly");
      const session = connectClients(node.baseUrl, account.session);
      const reader = await session.auth.createAPIKey({ name: "dashboards", readOnly: true });
      expect(reader.apiKey!.readOnly).toBe(true);
      const writer = connectClients(node.baseUrl, account.apiKey).vectron;
      await writer.createCollection({ name: "ro", dimension: 2, distance: Distance.EUCLIDEAN, shardCount: 2, payloadIndexes: [{ key: "tag", kind: PayloadIndexKind.KEYWORD }] });
      await writer.upsert({ collection: "ro", points: [{ id: "a", vector: [1, 0], payload: { tag: "x" } }, { id: "b", vector: [0, 1], payload: { tag: "y" } }] });

      const tagX = { must: [{ key: "tag", test: { case: "match" as const, value: { kind: { case: "value" as const, value: { kind: { case: "stringValue" as const, value: "x" } } } } } }] };
      for (const protocol of ["connect-json", "grpc-web"] as const) {
        const ro = connectClients(node.baseUrl, reader.key, protocol).vectron;
        const writes: [string, () => Promise<unknown>][] = [
          ["CreateCollection", () => ro.createCollection({ name: "mine", dimension: 2, distance: Distance.DOT })],
          ["DeleteCollection", () => ro.deleteCollection({ name: "ro" })],
          ["CreatePayloadIndex", () => ro.createPayloadIndex({ collection: "ro", index: { key: "n", kind: PayloadIndexKind.KEYWORD } })],
          ["DeletePayloadIndex", () => ro.deletePayloadIndex({ collection: "ro", key: "tag" })],
          ["Upsert", () => ro.upsert({ collection: "ro", points: [{ id: "c", vector: [1, 1] }] })],
          ["Delete", () => ro.delete({ collection: "ro", ids: ["a"] })],
          ["Delete", () => ro.delete({ collection: "ro", filter: tagX })],
          ["SetPayload", () => ro.setPayload({ collection: "ro", ids: ["a"], payload: { tag: "z" } })],
          ["DeletePayloadKeys", () => ro.deletePayloadKeys({ collection: "ro", ids: ["a"], keys: ["tag"] })],
          // Even naming a collection that does not exist: the key is refused before any lookup.
          ["Upsert", () => ro.upsert({ collection: "absent", points: [{ id: "c", vector: [1, 1] }] })],
        ];
        for (const [method, write] of writes) await expectCode(write(), Code.PermissionDenied, `this API key is read-only: ${method}`);

        expect((await ro.listCollections({})).collections.map((c) => c.name)).toEqual(["ro"]);
        const described = (await ro.getCollection({ name: "ro" })).collection!;
        expect(described.pointCount).toBe(2n);
        expect(described.payloadIndexes.map((index) => index.key)).toEqual(["tag"]);
        expect((await ro.get({ collection: "ro", ids: ["a"] })).points[0]!.payload).toEqual({ tag: "x" });
        expect((await ro.search({ collection: "ro", vector: [1, 0], topK: 1 })).results.map((r) => r.id)).toEqual(["a"]);
        const batch = await ro.searchBatch({ collection: "ro", queries: [{ vector: [0, 1], topK: 1 }, { vector: [1, 0], topK: 1 }] });
        expect(batch.batches.map((b) => b.results.map((r) => r.id))).toEqual([["b"], ["a"]]);
        expect((await ro.count({ collection: "ro", filter: tagX })).count).toBe(1n);
        expect((await ro.scroll({ collection: "ro" })).points.map((p) => p.id).sort()).toEqual(["a", "b"]);
      }
      // gRPC (its own fast path) refuses the same way.
      const grpc = grpcClients(node.grpcAddress);
      try {
        const err = await grpcCall(grpc.vectron, "upsert", { collection: "ro", points: [{ id: "c", vector: [1, 1] }] }, { authorization: `Bearer ${reader.key}` }).catch((e) => e);
        expect(err.code).toBe(grpcStatus.PERMISSION_DENIED);
        // grpc-js leaves the ':' percent-encoded (it decodes grpc-message with decodeURI).
        expect(decodeURIComponent(err.details)).toContain("this API key is read-only: Upsert");
      } finally {
        grpc.close();
      }
      // Nothing changed, and the user's writable key and session still write.
      expect((await writer.get({ collection: "ro", ids: ["a", "b", "c"] })).points.map((p) => [p.id, p.payload])).toEqual([["a", { tag: "x" }], ["b", { tag: "y" }]]);
      await session.vectron.upsert({ collection: "ro", points: [{ id: "c", vector: [1, 1] }] });
      expect((await writer.count({ collection: "ro" })).count).toBe(3n);
    });

    test("the same handlers answer Connect binary, gRPC-Web and gRPC", async () => {
      const account = await newAccount(node.baseUrl, "protocols");
      const json = connectClients(node.baseUrl, account.apiKey, "connect-json").vectron;
      await json.createCollection({ name: "proto", dimension: 2, distance: Distance.EUCLIDEAN });
      await json.upsert({ collection: "proto", points: [{ id: "one", vector: [1, 1], payload: { via: "json" } }] });
      for (const protocol of ["connect-binary", "grpc-web"] as const) {
        const api = connectClients(node.baseUrl, account.apiKey, protocol).vectron;
        const { results } = await api.search({ collection: "proto", vector: [1, 2], topK: 1 });
        expect(results[0]).toMatchObject({ id: "one", score: 1, payload: { via: "json" } });
        await expectCode(api.search({ collection: "proto", vector: [1] }), Code.InvalidArgument, "vector");
      }
      const grpc = grpcClients(node.grpcAddress);
      try {
        const auth = { authorization: `Bearer ${account.apiKey}` };
        const reply = await grpcCall(grpc.vectron, "Search", { collection: "proto", vector: [1, 2], topK: 1 }, auth);
        expect(reply.results[0].id).toBe("one");
        expect(reply.results[0].payload.fields.via.stringValue).toBe("json");
        const err = await grpcCall(grpc.vectron, "Search", { collection: "proto", vector: [1, 2] }).catch((e) => e);
        expect(err.details).toContain("Authorization");
        expect(err.code).toBe(grpcStatus.UNAUTHENTICATED);
      } finally {
        grpc.close();
      }
    });

    test("the Connect unary fast path answers exactly as Connect's generic handlers", async () => {
      const account = await newAccount(node.baseUrl, "fastpath");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      await api.createCollection({ name: "same", dimension: 2, distance: Distance.DOT, shardCount: 2 });
      await api.upsert({
        collection: "same",
        points: [
          { id: "a", vector: [1, 2], payload: { k: ["v", 1, null], "é\"q": { n: -0.5, big: 1e21, s: "line\nbreak \u2028 😀" } } },
          { id: "b", vector: [2, 1] },
        ],
      });
      // A gzip-compressed body is not taken by the fast path, so it reaches the generic handlers.
      const post = (path: string, body: unknown, gzip: boolean) => {
        const text = JSON.stringify(body);
        const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${account.apiKey}` };
        if (gzip) headers["content-encoding"] = "gzip";
        return fetch(`${node.baseUrl}/vectron.v1.VectronService/${path}`, { method: "POST", headers, body: gzip ? Bun.gzipSync(text) : text });
      };
      for (const [path, body] of [
        ["Search", { collection: "same", vector: [1, 1], topK: 2 }],
        ["Search", { collection: "same", vector: [1, 1], topK: 2, withVector: true }],
        ["Search", { collection: "same", vector: [1, 1], topK: 2, withPayload: false }],
        ["SearchBatch", { collection: "same", queries: [{ vector: [1, 1], topK: 1 }, { vector: [0.5, -2] }], withVector: true }],
        ["SearchBatch", { collection: "same", queries: [{ vector: [1, 1], filter: { must: [{ key: "k", match: { any: ["v"] } }] } }] }],
        ["Get", { collection: "same", ids: ["a", "b", "zz"] }],
        ["Count", { collection: "same" }],
        ["Search", { collection: "same", vector: [1] }],
        ["Search", { collection: "missing", vector: [1, 1] }],
        ["Search", { collection: "same", vector: [1, 1], unknownField: 1 }],
      ] as const) {
        const fast = await post(path, body, false);
        const generic = await post(path, body, true);
        expect(fast.status).toBe(generic.status);
        const [fastText, genericText] = [await fast.text(), await generic.text()];
        const [fastBody, genericBody] = [JSON.parse(fastText), JSON.parse(genericText)];
        // Byte for byte: Search and SearchBatch answers are written from the stored payload text.
        if (fast.status === 200) expect(fastText).toBe(genericText);
        else expect([fastBody.code, fastBody.message.replace("cannot decode request: ", "")]).toEqual([genericBody.code, genericBody.message]);
      }
    });

    test("the gRPC unary fast path answers exactly as Connect's generic gRPC handler", async () => {
      const account = await newAccount(node.baseUrl, "grpcfast");
      await connectClients(node.baseUrl, account.apiKey).vectron.createCollection({ name: "g", dimension: 2, distance: Distance.COSINE, shardCount: 2 });
      // gzip-compressed requests are not taken by the fast path, so they reach the generic handler.
      const plain = grpcClients(node.grpcAddress);
      const gzip = grpcClients(node.grpcAddress, { gzip: true });
      const auth = { authorization: `Bearer ${account.apiKey}` };
      try {
        const points = [{ id: "a", vector: [1, 2], payload: { fields: { k: { stringValue: "v" } } } }, { id: "b", vector: [2, 1] }];
        expect((await grpcCall(gzip.vectron, "Upsert", { collection: "g", points }, auth)).upserted).toBe(2);
        for (const [method, request] of [
          ["Search", { collection: "g", vector: [1, 1], topK: 2 }],
          ["Get", { collection: "g", ids: ["a", "b", "zz"] }],
          ["Count", { collection: "g" }],
          ["Search", { collection: "g", vector: [1] }],
          ["Search", { collection: "missing", vector: [1, 1] }],
          ["Search", { collection: "g", vector: [0, 0] }],
        ] as const) {
          const [fast, generic] = await Promise.all(
            [plain, gzip].map((c) => grpcCall(c.vectron, method, request, auth).then((reply) => ({ reply }), (e) => ({ code: e.code, details: e.details }))),
          );
          expect(fast).toEqual(generic);
        }
      } finally {
        plain.close();
        gzip.close();
      }
    });

    test("internal services answer only to the cluster secret, never to user credentials", async () => {
      const account = await newAccount(node.baseUrl, "internal");
      const path = "vectron.placement.v1.PlacementService/ListWorkers";
      expect((await callJson(node.baseUrl, path, {}, account.apiKey)).body.code).toBe("unauthenticated");
      expect((await callJson(node.baseUrl, path, {}, account.session)).body.code).toBe("unauthenticated");
      const response = await fetch(`${node.baseUrl}/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-vectron-cluster-secret": node.clusterSecret },
        body: "{}",
      });
      const body = (await response.json()) as any;
      expect(body.workers).toHaveLength(1);
      expect(body.workers[0].live).toBe(true);
      const grpc = grpcClients(node.grpcAddress);
      try {
        const err = await grpcCall(grpc.worker, "CountPoints", { shard: { collectionId: "x", shardId: 0 } }, { authorization: `Bearer ${account.apiKey}` }).catch((e) => e);
        expect(err.code).toBe(grpcStatus.UNAUTHENTICATED);
      } finally {
        grpc.close();
      }
    });
  });
}
