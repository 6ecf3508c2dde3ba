import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { Distance } from "@vectron/proto/v1";
import type { Plans } from "@vectron/quotas";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { grpcCall, grpcClients, grpcStatus } from "./support/grpc-clients";
import { startTestNode, type DatabaseKind, type TestNode } from "./support/in-process-node";
import { runVectronCli } from "./support/vectron-cli";

/** Small limits, so that every one of them is reached in a few calls. */
const plans: Plans = {
  free: { maxCollections: 3, maxPoints: 50, requestsPerSecond: 20, burst: 40 },
  paid: { maxCollections: 6, maxPoints: 200, requestsPerSecond: 1000, burst: 1000 },
};

const RATE_HINT = /^rate limit: the free plan allows 20 requests per second per user \(all their API keys and sessions together\), in bursts of up to 40; retry after (\d+) ms$/;

/** The error a promise failed with (undefined if it did not fail). */
async function failure(promise: Promise<unknown>): Promise<ConnectError | undefined> {
  return promise.then(
    () => undefined,
    (err) => err,
  );
}

async function expectCode(promise: Promise<unknown>, code: Code, text: string) {
  const err = await failure(promise);
  expect(err).toBeInstanceOf(ConnectError);
  expect(Code[err!.code]).toBe(Code[code]);
  expect(err!.rawMessage).toContain(text);
}

function points(prefix: string, n: number, from = 0, payload: Record<string, number> = { v: 1 }) {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${from + i}`, vector: [from + i, 1], payload }));
}

/**
 * The plans' quotas and rate limits against one node on the given database (run for
 * PGlite and Postgres by quotas-*.test.ts): each limit answered with resource_exhausted
 * naming it and the plan.
 */
export function describeQuotaSuite(database: DatabaseKind) {
  describe(`plans and quotas on ${database}`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await startTestNode(database, { plans });
    }, 60_000);
    afterAll(async () => {
      await node?.stop();
    });

    test("collections per user: the plan's number, then resource_exhausted naming it; a deleted one frees its slot", async () => {
      const account = await newAccount(node.baseUrl, "collections");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      for (const name of ["c0", "c1", "c2"]) await api.createCollection({ name, dimension: 2, distance: Distance.DOT });
      await expectCode(
        api.createCollection({ name: "c3", dimension: 2, distance: Distance.DOT }),
        Code.ResourceExhausted,
        "collection quota: the free plan allows 3 collections per user",
      );
      // A taken name is still already_exists, and a refused create left nothing behind.
      await expectCode(api.createCollection({ name: "c0", dimension: 2, distance: Distance.DOT }), Code.AlreadyExists, "c0");
      expect((await api.listCollections({})).collections.map((c) => c.name)).toEqual(["c0", "c1", "c2"]);
      await api.deleteCollection({ name: "c1" });
      await api.createCollection({ name: "c3", dimension: 2, distance: Distance.DOT });
      // Another user has slots of their own.
      const other = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "other")).apiKey).vectron;
      await other.createCollection({ name: "c0", dimension: 2, distance: Distance.DOT });
    });

    test("concurrent creates never take a user past the collection quota", async () => {
      const api = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "racing")).apiKey).vectron;
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => failure(api.createCollection({ name: `r${i}`, dimension: 2, distance: Distance.DOT }))),
      );
      expect(outcomes.filter((err) => err === undefined)).toHaveLength(3);
      for (const err of outcomes.filter(Boolean)) expect(err!.code).toBe(Code.ResourceExhausted);
      expect((await api.listCollections({})).collections).toHaveLength(3);
    });

    test("points per user, over all their collections: only new points count, deletes make room", async () => {
      const api = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "points")).apiKey).vectron;
      await api.createCollection({ name: "a", dimension: 2, distance: Distance.EUCLIDEAN, shardCount: 2 });
      await api.createCollection({ name: "b", dimension: 2, distance: Distance.EUCLIDEAN });
      expect((await api.upsert({ collection: "a", points: points("a", 30) })).upserted).toBe(30);
      expect((await api.upsert({ collection: "b", points: points("b", 20) })).upserted).toBe(20);
      await expectCode(
        api.upsert({ collection: "a", points: points("a", 1, 30) }),
        Code.ResourceExhausted,
        "point quota: the free plan allows 50 points per user; you have 50, and this upsert would add 1 more",
      );
      // At the quota, points already stored can still be overwritten...
      expect((await api.upsert({ collection: "b", points: points("b", 5, 0, { v: 2 }) })).upserted).toBe(5);
      expect((await api.get({ collection: "b", ids: ["b0"] })).points[0]!.payload).toEqual({ v: 2 });
      // ...but a batch with one new point among them is refused whole.
      await expectCode(api.upsert({ collection: "b", points: [...points("b", 2), ...points("b", 1, 20)] }), Code.ResourceExhausted, "would add 1 more");
      expect((await api.get({ collection: "b", ids: ["b20"] })).points).toEqual([]);

      // Deleting points makes room at once, and deleting a collection too.
      expect((await api.delete({ collection: "a", ids: points("a", 10).map((p) => p.id) })).deleted).toBe(10);
      expect((await api.upsert({ collection: "a", points: points("a", 10, 100) })).upserted).toBe(10);
      await expectCode(api.upsert({ collection: "a", points: points("a", 1, 200) }), Code.ResourceExhausted, "point quota");
      await api.deleteCollection({ name: "b" });
      expect((await api.upsert({ collection: "a", points: points("a", 20, 200) })).upserted).toBe(20);
      expect((await api.count({ collection: "a" })).count).toBe(50n);
      await expectCode(api.upsert({ collection: "a", points: points("a", 1, 300) }), Code.ResourceExhausted, "you have 50");
    });

    test("concurrent upserts at the edge of the point quota never take a user past it", async () => {
      const api = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "edge")).apiKey).vectron;
      await api.createCollection({ name: "e", dimension: 2, distance: Distance.EUCLIDEAN, shardCount: 2 });
      await api.upsert({ collection: "e", points: points("base", 40) });
      const outcomes = await Promise.all(Array.from({ length: 6 }, (_, k) => failure(api.upsert({ collection: "e", points: points(`k${k}-`, 5) }))));
      const admitted = outcomes.filter((err) => err === undefined).length;
      for (const err of outcomes.filter(Boolean)) expect(err!.code).toBe(Code.ResourceExhausted);
      expect(admitted).toBe(2);
      expect((await api.count({ collection: "e" })).count).toBe(BigInt(40 + 5 * admitted));
    });

    test("requests per user: a burst beyond the bucket is refused with a retry hint, which is honest", async () => {
      const account = await newAccount(node.baseUrl, "rate");
      const api = connectClients(node.baseUrl, account.apiKey).vectron;
      const started = performance.now();
      const outcomes = await Promise.all(Array.from({ length: 80 }, () => failure(api.listCollections({}))));
      const elapsedMs = performance.now() - started;
      const admitted = outcomes.filter((err) => err === undefined).length;
      expect(admitted).toBeGreaterThanOrEqual(40);
      expect(admitted).toBeLessThanOrEqual(40 + (20 * elapsedMs) / 1000);
      const hints = outcomes.filter(Boolean).map((err) => {
        expect(err!.code).toBe(Code.ResourceExhausted);
        return Number(RATE_HINT.exec(err!.rawMessage)?.[1]);
      });
      expect(hints.length).toBeGreaterThan(0);
      for (const hint of hints) expect(hint).toBeGreaterThanOrEqual(1);
      for (const hint of hints) expect(hint).toBeLessThanOrEqual(50); // one token at 20/s
      // Waiting as long as the hints say is enough.
      await Bun.sleep(Math.max(...hints));
      await api.listCollections({});

      // All of a user's keys and sessions share one bucket, so more keys are not more rate:
      // with the first key's burst spent, a second key and a session of the same user are
      // refused too, while another user's key is not.
      const session = connectClients(node.baseUrl, account.session);
      const second = connectClients(node.baseUrl, (await session.auth.createAPIKey({ name: "second" })).key).vectron;
      const stranger = connectClients(node.baseUrl, (await newAccount(node.baseUrl, "stranger")).apiKey).vectron;
      const sharedStarted = performance.now();
      const refusedFirst = await refusedInBurst(() => failure(api.listCollections({})));
      const [bySecond, bySession, byStranger] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, () => failure(second.listCollections({})))),
        Promise.all(Array.from({ length: 20 }, () => failure(session.vectron.listCollections({})))),
        failure(stranger.listCollections({})),
      ]);
      const sharedElapsedMs = performance.now() - sharedStarted;
      expect(byStranger).toBeUndefined();
      for (const outcomes of [bySecond, bySession]) {
        const refused = outcomes.filter(Boolean);
        expect(refused.length).toBeGreaterThan(0);
        for (const err of refused) expect(err!.rawMessage).toMatch(RATE_HINT);
      }
      // One bucket: over all three credentials, at most a burst plus what refilled meanwhile.
      const sharedAdmitted = 120 - refusedFirst.length + [...bySecond, ...bySession].filter((err) => err === undefined).length;
      expect(sharedAdmitted).toBeLessThanOrEqual(40 + (20 * sharedElapsedMs) / 1000);

      // The hint also travels as metadata on every path: Connect (the unary fast path,
      // as response headers), gRPC-Web (Connect's generic handler) and gRPC (trailers).
      const [refusedConnect] = await refusedInBurst(() => failure(api.listCollections({})));
      expect(refusedConnect!.metadata.get("retry-after-ms")).toBe(RATE_HINT.exec(refusedConnect!.rawMessage)![1]!);
      const web = connectClients(node.baseUrl, account.apiKey, "grpc-web").vectron;
      const [refusedWeb] = await refusedInBurst(() => failure(web.listCollections({})));
      expect(refusedWeb!.metadata.get("retry-after-ms")).toBe(RATE_HINT.exec(refusedWeb!.rawMessage)![1]!);
      expect(refusedWeb!.metadata.get("retry-after")).toBe("1");
      const grpc = grpcClients(node.grpcAddress);
      try {
        const call = () => grpcCall(grpc.vectron, "listCollections", {}, { authorization: `Bearer ${account.apiKey}` }).then(() => undefined, (e) => e);
        const [refusedGrpc] = await refusedInBurst(call);
        expect(refusedGrpc.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
        expect(Number(refusedGrpc.metadata.get("retry-after-ms")[0])).toBeGreaterThanOrEqual(1);
      } finally {
        grpc.close();
      }
    });

    if (database === "postgres") {
      test("vectron users set-plan on a running cluster: the user has the paid limits within seconds", async () => {
        const account = await newAccount(node.baseUrl, "upgrade");
        const api = connectClients(node.baseUrl, account.apiKey).vectron;
        for (const name of ["c0", "c1", "c2"]) await api.createCollection({ name, dimension: 2, distance: Distance.DOT });
        await expectCode(api.createCollection({ name: "c3", dimension: 2, distance: Distance.DOT }), Code.ResourceExhausted, "the free plan allows 3");

        const cli = await runVectronCli(["users", "set-plan", account.email, "paid"], { VECTRON_DATABASE_URL: node.databaseUrl! });
        expect(cli.stderr).toBe("");
        expect(cli.stdout).toContain(`${account.email}: plan free -> paid`);
        // Nodes cache keys and plans for 5 s.
        await withinSeconds(15, () => api.createCollection({ name: "c3", dimension: 2, distance: Distance.DOT }));
        for (const name of ["c4", "c5"]) await api.createCollection({ name, dimension: 2, distance: Distance.DOT });
        await expectCode(
          api.createCollection({ name: "c6", dimension: 2, distance: Distance.DOT }),
          Code.ResourceExhausted,
          "collection quota: the paid plan allows 6 collections per user",
        );
        // Points and rate as paid, through the session as well as the key.
        const session = connectClients(node.baseUrl, account.session).vectron;
        expect((await withinSeconds(15, () => session.upsert({ collection: "c0", points: points("p", 150) }))).upserted).toBe(150);
        const burst = await Promise.all(Array.from({ length: 120 }, () => failure(api.listCollections({}))));
        expect(burst.filter(Boolean)).toEqual([]);

        const listed = await runVectronCli(["users", "ls"], { VECTRON_DATABASE_URL: node.databaseUrl! });
        expect(listed.stdout).toMatch(new RegExp(`${account.email.replace(/\./g, "\\.")}\\s+paid\\s+6\\s+1\\s`));
      });
    }
  });
}

/** `call` until it is no longer refused with resource_exhausted, for at most `seconds`. */
async function withinSeconds<T>(seconds: number, call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof ConnectError) || err.code !== Code.ResourceExhausted || Date.now() > deadline) throw err;
      await Bun.sleep(250);
    }
  }
}

/** 120 calls at once, three times the bucket: the refused ones, resource_exhausted each (at least one). */
async function refusedInBurst<E extends { code: number }>(call: () => Promise<E | undefined>): Promise<E[]> {
  const outcomes: (E | undefined)[] = await Promise.all(Array.from({ length: 120 }, call));
  const refused = outcomes.filter((err): err is E => err !== undefined);
  expect(refused.length).toBeGreaterThan(0);
  for (const err of refused) expect(err.code).toBe(Code.ResourceExhausted);
  return refused;
}
