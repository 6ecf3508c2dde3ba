import { expect } from "bun:test";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import fc from "fast-check";
import { Distance, PayloadIndexKind, type VectronService } from "@vectron/proto/v1";
import { bestFirst, matchingIds, modelScore, modelVector, scrollOrder, type TenantModel } from "./tenant-model";

/** One thing a user does; vectors come from seeds, sized to the collection when it runs. */
export type TenantAction =
  | { kind: "create"; name: string; dimension: number; distance: Distance; shardCount: number }
  | { kind: "drop"; name: string }
  | { kind: "describe"; name: string }
  | { kind: "list" }
  | { kind: "upsert"; name: string; points: { id: string; seed: number; n: number }[] }
  | { kind: "get"; name: string; ids: string[] }
  | { kind: "delete"; name: string; ids: string[] }
  | { kind: "deleteWhere"; name: string; atLeast: number }
  | { kind: "setPayload"; name: string; ids: string[]; n: number; overwrite: boolean }
  | { kind: "deleteKeys"; name: string; ids: string[]; keys: string[] }
  | { kind: "search"; name: string; seed: number; topK: number; atLeast: number | undefined }
  | { kind: "count"; name: string; atLeast: number | undefined }
  | { kind: "scroll"; name: string; limit: number; withVector: boolean }
  | { kind: "index"; name: string; key: "n" | "tag" }
  | { kind: "unindex"; name: string; key: "n" | "tag" };

const INDEX_KINDS = { n: PayloadIndexKind.FLOAT, tag: PayloadIndexKind.KEYWORD } as const;

/** Actions over a few collection names and point ids, which both users of a pair use. */
export function tenantActions(names: string[], ids: string[]): fc.Arbitrary<TenantAction> {
  const name = fc.constantFrom(...names);
  const someIds = fc.array(fc.constantFrom(...ids), { minLength: 1, maxLength: 4 });
  const n = fc.integer({ min: 0, max: 9 });
  const atLeast = fc.option(n, { nil: undefined });
  const key = fc.constantFrom("n" as const, "tag" as const);
  const distance = fc.constantFrom(Distance.COSINE, Distance.EUCLIDEAN, Distance.DOT);
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("create" as const), name, dimension: fc.integer({ min: 2, max: 3 }), distance, shardCount: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("drop" as const), name }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("describe" as const), name }) },
    { weight: 1, arbitrary: fc.constant({ kind: "list" as const }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant("upsert" as const), name, points: fc.array(fc.record({ id: fc.constantFrom(...ids), seed: fc.nat(50), n }), { minLength: 1, maxLength: 5 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), name, ids: someIds }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), name, ids: someIds }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteWhere" as const), name, atLeast: n }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("setPayload" as const), name, ids: someIds, n, overwrite: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("deleteKeys" as const), name, ids: someIds, keys: fc.subarray(["n", "tag", "absent"], { minLength: 1 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("search" as const), name, seed: fc.nat(50), topK: fc.integer({ min: 1, max: 6 }), atLeast }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("count" as const), name, atLeast }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("scroll" as const), name, limit: fc.integer({ min: 1, max: 4 }), withVector: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("index" as const), name, key }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("unindex" as const), name, key }) },
  );
}

/** A user acting: its model, its clients (one per protocol) and the markers of everyone else. */
export interface TenantActor {
  model: TenantModel;
  clients: Client<typeof VectronService>[];
  othersMarkers: string[];
}

type Outcome<T> = { ok: T } | { error: ConnectError };

async function outcome<T>(call: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: await call };
  } catch (err) {
    if (err instanceof ConnectError) return { error: err };
    throw err;
  }
}

/** The successful answer, after checking it is one (and holds nothing of anyone else's). */
function expectOk<T>(actor: TenantActor, result: Outcome<T>, what: string): T {
  expect("error" in result ? `${Code[result.error.code]}: ${result.error.rawMessage}` : "ok", what).toBe("ok");
  expectNoOtherMarker(actor, result, what);
  return (result as { ok: T }).ok;
}

function expectError(actor: TenantActor, result: Outcome<unknown>, code: Code, what: string): void {
  expect("error" in result ? Code[result.error.code] : "ok", what).toBe(Code[code]);
  expectNoOtherMarker(actor, result, what);
}

function expectNoOtherMarker(actor: TenantActor, result: Outcome<unknown>, what: string): void {
  const text = "error" in result ? `${result.error.rawMessage} ${JSON.stringify([...result.error.metadata])}` : JSON.stringify(result.ok, (_, v) => (typeof v === "bigint" ? String(v) : v));
  for (const marker of actor.othersMarkers) expect(text.includes(marker), `${what}: answer holds another user's ${marker}`).toBe(false);
}

const rangeFilter = (atLeast: number | undefined) =>
  atLeast === undefined ? undefined : { must: [{ key: "n", test: { case: "range" as const, value: { gte: atLeast } } }] };

/**
 * Performs the action as `actor` over the protocol `via` picks, checks the answer
 * against the actor's model exactly (values, counts and error codes), then updates the model.
 */
export async function perform(actor: TenantActor, action: TenantAction, via: number): Promise<void> {
  const api = actor.clients[via % actor.clients.length]!;
  const { model } = actor;
  const what = `${model.label} ${JSON.stringify(action)} via client ${via % actor.clients.length}`;
  if (action.kind === "list") {
    const { collections } = expectOk(actor, await outcome(api.listCollections({})), what);
    expect(collections.map((c) => [c.name, Number(c.pointCount)]), what).toEqual(model.names().map((n) => [n, model.collections.get(n)!.points.size]));
    return;
  }
  const collection = model.collections.get(action.name);
  if (action.kind === "create") {
    const result = await outcome(api.createCollection({ name: action.name, dimension: action.dimension, distance: action.distance, shardCount: action.shardCount }));
    if (collection) return expectError(actor, result, Code.AlreadyExists, what);
    const created = expectOk(actor, result, what).collection!;
    expect([created.name, created.dimension, created.distance, created.shardCount], what).toEqual([action.name, action.dimension, action.distance, action.shardCount]);
    model.collections.set(action.name, { dimension: action.dimension, distance: action.distance, shardCount: action.shardCount, points: new Map(), indexes: new Map() });
    return;
  }
  const name = action.name;
  const call = (): Promise<unknown> => {
    const dimension = collection?.dimension ?? 2;
    switch (action.kind) {
      case "drop":
        return api.deleteCollection({ name });
      case "describe":
        return api.getCollection({ name });
      case "upsert":
        return api.upsert({ collection: name, points: action.points.map((p) => ({ id: p.id, vector: modelVector(p.seed, dimension), payload: model.payload(p.n) })) });
      case "get":
        return api.get({ collection: name, ids: action.ids });
      case "delete":
        return api.delete({ collection: name, ids: action.ids });
      case "deleteWhere":
        return api.delete({ collection: name, filter: rangeFilter(action.atLeast) });
      case "setPayload":
        return api.setPayload({ collection: name, ids: action.ids, payload: { owner: model.marker, n: action.n }, overwrite: action.overwrite });
      case "deleteKeys":
        return api.deletePayloadKeys({ collection: name, ids: action.ids, keys: action.keys });
      case "search":
        return api.search({ collection: name, vector: modelVector(action.seed, dimension), topK: action.topK, filter: rangeFilter(action.atLeast), withVector: true });
      case "count":
        return api.count({ collection: name, filter: rangeFilter(action.atLeast) });
      case "scroll":
        return scrollAll(api, name, action.limit, action.withVector);
      case "index":
        return api.createPayloadIndex({ collection: name, index: { key: action.key, kind: INDEX_KINDS[action.key] } });
      case "unindex":
        return api.deletePayloadIndex({ collection: name, key: action.key });
    }
  };
  const result = await outcome(call());
  if (!collection || (action.kind === "unindex" && !collection.indexes.has(action.key))) return expectError(actor, result, Code.NotFound, what);
  checkAndApply(actor, action, collection, expectOk(actor, result, what) as any, what);
}

async function scrollAll(api: Client<typeof VectronService>, collection: string, limit: number, withVector: boolean) {
  const points = [];
  let cursor = "";
  do {
    const page = await api.scroll({ collection, limit, cursor, withVector });
    expect(page.points.length).toBeLessThanOrEqual(limit);
    points.push(...page.points);
    cursor = page.nextCursor;
  } while (cursor);
  return points;
}

function checkAndApply(actor: TenantActor, action: Exclude<TenantAction, { kind: "list" | "create" }>, collection: ModelCollection, answer: any, what: string): void {
  const { model } = actor;
  const existing = (ids: string[]) => [...new Set(ids)].filter((id) => collection.points.has(id));
  const asStored = (id: string, withVector = true) => ({ id, vector: withVector ? collection.points.get(id)!.vector : [], payload: collection.points.get(id)!.payload });
  switch (action.kind) {
    case "drop":
      model.collections.delete(action.name);
      return;
    case "describe": {
      const got = answer.collection;
      expect([got.name, got.dimension, got.distance, got.shardCount, Number(got.pointCount)], what).toEqual([action.name, collection.dimension, collection.distance, collection.shardCount, collection.points.size]);
      expect(got.payloadIndexes.map((i: any) => [i.key, i.kind]).sort(), what).toEqual([...collection.indexes].sort());
      return;
    }
    case "upsert":
      for (const p of action.points) collection.points.set(p.id, { vector: modelVector(p.seed, collection.dimension), payload: model.payload(p.n) });
      expect(answer.upserted, what).toBe(new Set(action.points.map((p) => p.id)).size);
      return;
    case "get":
      expect(answer.points.map((p: any) => ({ id: p.id, vector: p.vector, payload: p.payload })), what).toEqual(existing(action.ids).map((id) => asStored(id)));
      return;
    case "delete":
      expect(answer.deleted, what).toBe(existing(action.ids).length);
      for (const id of action.ids) collection.points.delete(id);
      return;
    case "deleteWhere": {
      const doomed = matchingIds(collection, action.atLeast);
      expect(answer.deleted, what).toBe(doomed.length);
      for (const id of doomed) collection.points.delete(id);
      return;
    }
    case "setPayload":
      expect(answer.updated, what).toBe(existing(action.ids).length);
      for (const id of existing(action.ids)) {
        const point = collection.points.get(id)!;
        const patch = { owner: model.marker, n: action.n };
        point.payload = action.overwrite ? patch : { ...point.payload, ...patch };
      }
      return;
    case "deleteKeys":
      expect(answer.updated, what).toBe(existing(action.ids).length);
      for (const id of existing(action.ids)) {
        const payload = { ...collection.points.get(id)!.payload };
        for (const key of action.keys) delete payload[key];
        collection.points.get(id)!.payload = payload;
      }
      return;
    case "search": {
      const query = modelVector(action.seed, collection.dimension);
      const candidates = matchingIds(collection, action.atLeast);
      const exact = candidates.map((id) => modelScore(collection.distance, query, collection.points.get(id)!.vector)).sort(bestFirst(collection.distance));
      const results = answer.results as { id: string; score: number; payload: unknown; vector: number[] }[];
      expect(results.length, what).toBe(Math.min(action.topK, candidates.length));
      results.forEach((hit, i) => {
        expect(candidates, what).toContain(hit.id);
        expect({ vector: hit.vector, payload: hit.payload }, what).toEqual({ vector: collection.points.get(hit.id)!.vector, payload: collection.points.get(hit.id)!.payload });
        expect(hit.score, what).toBeCloseTo(exact[i]!, 4);
      });
      return;
    }
    case "count":
      expect(Number(answer.count), what).toBe(matchingIds(collection, action.atLeast).length);
      return;
    case "scroll":
      expect(answer.map((p: any) => ({ id: p.id, vector: p.vector, payload: p.payload })), what).toEqual(scrollOrder(collection.points.keys()).map((id) => asStored(id, action.withVector)));
      return;
    case "index":
      collection.indexes.set(action.key, INDEX_KINDS[action.key]);
      expect(answer.collection.payloadIndexes.map((i: any) => i.key).sort(), what).toEqual([...collection.indexes.keys()].sort());
      return;
    case "unindex":
      collection.indexes.delete(action.key);
      return;
  }
}

type ModelCollection = NonNullable<ReturnType<TenantModel["collections"]["get"]>>;
