import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import fc from "fast-check";
import { VectronService } from "@vectron/proto/v1";
import { newAccount } from "./support/accounts";
import { connectClients } from "./support/connect-clients";
import { assertWithSeed } from "./support/fuzz-seed";
import { startTestNode, type TestNode } from "./support/in-process-node";
import { marker } from "./support/secret-markers";
import { perform, tenantActions, type TenantActor } from "./support/tenant-actions";
import { scrollOrder, TenantModel } from "./support/tenant-model";

const FILE = "test/tenant-isolation.test.ts";
const RUNS = 120;
/** Both users of a pair draw from these, so their collection names and point ids collide. */
const NAMES = ["c0", "c1", "c2"];
const IDS = ["p0", "p1", "p2", "p3", "p4"];
const USERS = 4;

/**
 * Tenant isolation as a property. For random pairs (A, B) of users, with the same
 * collection names and point ids, B sets up some data, then A and B act in a random
 * interleaving (create, upsert, get, search, scroll, count, delete by id and by filter,
 * set and delete payload keys, payload indexes, describe, list, delete collections), each
 * over a random protocol. Every answer either gets is checked exactly against its own
 * model (so nothing of the other's can appear, and nothing the other did can show), no
 * answer or error holds the other's payload marker, and after every action of A's, B's
 * view is exactly B's model.
 */
describe("tenant isolation between random pairs of users", () => {
  let node: TestNode;
  const sessions: Http2SessionManager[] = [];
  const users: { label: string; apiKey: string; marker: string; clients: Client<typeof VectronService>[] }[] = [];

  beforeAll(async () => {
    node = await startTestNode("pglite");
    for (let i = 0; i < USERS; i++) {
      const account = await newAccount(node.baseUrl, `tenant${i}`);
      const session = new Http2SessionManager(`http://${node.grpcAddress}`);
      sessions.push(session);
      const grpc = createClient(VectronService, createGrpcTransport({ baseUrl: `http://${node.grpcAddress}`, sessionManager: session, interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${account.apiKey}`), next(req))] }));
      users.push({
        label: `tenant${i}`,
        apiKey: account.apiKey,
        marker: marker(`tenant${i}`),
        clients: [connectClients(node.baseUrl, account.apiKey, "connect-json").vectron, connectClients(node.baseUrl, account.apiKey, "connect-binary").vectron, connectClients(node.baseUrl, account.apiKey, "grpc-web").vectron, grpc],
      });
    }
  }, 60_000);
  afterAll(async () => {
    for (const session of sessions) session.abort();
    await node?.stop();
  });

  /** A fresh model for the user, after deleting every collection it has. */
  async function emptied(index: number, other: number): Promise<TenantActor> {
    const user = users[index]!;
    const api = user.clients[0]!;
    for (const { name } of (await api.listCollections({})).collections) await api.deleteCollection({ name });
    return { model: new TenantModel(user.label, user.marker), clients: user.clients, othersMarkers: [users[other]!.marker] };
  }

  /** B's whole view: its collections with their counts, then every point with vector and payload. */
  async function expectViewIsModel(actor: TenantActor, deep: boolean): Promise<void> {
    const api = actor.clients[0]!;
    const { model } = actor;
    const listed = (await api.listCollections({})).collections;
    expect(listed.map((c) => [c.name, Number(c.pointCount)]), `${model.label}'s collections`).toEqual(model.names().map((n) => [n, model.collections.get(n)!.points.size]));
    if (!deep) return;
    for (const name of model.names()) {
      const collection = model.collections.get(name)!;
      const { points } = await api.scroll({ collection: name, limit: 1000, withVector: true });
      expect(points.map((p) => [p.id, p.vector, p.payload]), `${model.label}'s ${name}`).toEqual(
        scrollOrder(collection.points.keys()).map((id) => [id, collection.points.get(id)!.vector, collection.points.get(id)!.payload]),
      );
    }
  }

  test("whatever A does never changes or reveals what B has; each sees exactly its own model", async () => {
    const pair = fc
      .tuple(fc.nat(USERS - 1), fc.integer({ min: 1, max: USERS - 1 }))
      .map(([a, offset]) => [a, (a + offset) % USERS] as const);
    const step = fc.tuple(fc.nat(3), tenantActions(NAMES, IDS), fc.nat(3));
    const property = fc.asyncProperty(pair, fc.array(step, { minLength: 2, maxLength: 6 }), fc.array(step, { minLength: 4, maxLength: 16 }), async ([a, b], setup, steps) => {
      const alice = await emptied(a, b);
      const bob = await emptied(b, a);
      for (const [, action, via] of setup) await perform(bob, action, via);
      for (const [who, action, via] of steps) {
        // Mostly A; sometimes B, so A also acts on a B that keeps changing.
        if (who === 0) {
          await perform(bob, action, via);
        } else {
          await perform(alice, action, via);
          await expectViewIsModel(bob, false);
        }
      }
      await expectViewIsModel(bob, true);
      await expectViewIsModel(alice, true);
    });
    await assertWithSeed("tenant isolation", property, RUNS, FILE);
  });
});
