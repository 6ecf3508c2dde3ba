import { expect } from "bun:test";
import { newAccount } from "./accounts";
import { callJson, okJson } from "./connect-json";
import { marker, SecretMarkers } from "./secret-markers";
import { modelVector, scrollOrder } from "./tenant-model";

const api = (method: string) => `vectron.v1.VectronService/${method}`;

export interface TenantPoint {
  id: string;
  vector: number[];
  payload: Record<string, unknown>;
}

export interface TenantCollection {
  name: string;
  dimension: number;
  distance: "DISTANCE_COSINE" | "DISTANCE_EUCLIDEAN" | "DISTANCE_DOT";
  points: TenantPoint[];
}

/** What the fuzzed user may name in its requests: its own names and ids, and the victim's guessable ones. */
export interface FuzzPools {
  /** Collections the fuzzer owns (or may create): a few names, so creates stay bounded. */
  ownNames: string[];
  /** The victim's collection names a guesser could try (one is also the fuzzer's). */
  victimNames: string[];
  /** Point ids both users use. */
  sharedIds: string[];
  /** The victim's API key id (public: it is in the key itself). */
  victimKeyId: string;
  /** Dimension of the fuzzer's collections. */
  dimension: number;
}

/**
 * The three accounts of a fuzz run on one server: the fuzzer (user A, whose credentials
 * every fuzzed request carries), the victim (user B, whose collections share names and
 * point ids with A's, and hide marker strings in names, ids and payloads) and the canary
 * (user C, whose known search must keep answering). B and C are set up once and only read
 * afterwards, so their models are exact.
 */
export interface FuzzTenants {
  fuzzer: { email: string; apiKey: string; session: string };
  victim: { apiKey: string; session: string; keyName: string; collections: TenantCollection[] };
  canary: { apiKey: string; collection: TenantCollection };
  pools: FuzzPools;
  /** Everything of B and C that no answer to A may contain. */
  secrets: SecretMarkers;
}

const DIMENSION = 4;
const SHARED_IDS = ["p0", "p1", "p2", "p3"];

export async function setUpFuzzTenants(baseUrl: string): Promise<FuzzTenants> {
  const [a, b, c] = await Promise.all([newAccount(baseUrl, "fuzzer"), newAccount(baseUrl, "victim"), newAccount(baseUrl, "canary")]);
  const secrets = new SecretMarkers();

  await restoreFuzzerCollections(baseUrl, a.apiKey);

  // B: the same name, a guessable one and a hidden one; shared and hidden ids; marked payloads.
  const payloadMarker = marker("bpayload");
  const hiddenId = marker("bsecret");
  const hiddenName = marker("bhidden");
  const victimCollections: TenantCollection[] = [
    { name: "shared", dimension: DIMENSION, distance: "DISTANCE_COSINE", points: [] },
    { name: "victim-docs", dimension: DIMENSION, distance: "DISTANCE_EUCLIDEAN", points: [] },
    { name: hiddenName, dimension: 3, distance: "DISTANCE_DOT", points: [] },
  ];
  for (const [n, collection] of victimCollections.entries()) {
    const ids = [...SHARED_IDS, `${hiddenId}-${n}-0`, `${hiddenId}-${n}-1`];
    collection.points = ids.map((id, i) => ({
      id,
      vector: modelVector(i + 10 * n, collection.dimension),
      payload: { owner: "B", marker: payloadMarker, nested: { tag: `${payloadMarker}-${i}` }, i },
    }));
    await okJson(baseUrl, api("CreateCollection"), { name: collection.name, dimension: collection.dimension, distance: collection.distance, shardCount: n + 1 }, b.apiKey);
    await okJson(baseUrl, api("Upsert"), { collection: collection.name, points: collection.points }, b.apiKey);
  }
  const victimKeyName = marker("bkeyname");
  await okJson(baseUrl, "vectron.auth.v1.AuthService/CreateAPIKey", { name: victimKeyName }, b.session);

  // C: the canary, a known nearest neighbour.
  const canaryMarker = marker("cpayload");
  const canary: TenantCollection = {
    name: marker("canary"),
    dimension: 3,
    distance: "DISTANCE_EUCLIDEAN",
    points: [
      { id: `${canaryMarker}-x`, vector: [1, 0, 0], payload: { axis: "x", marker: canaryMarker } },
      { id: `${canaryMarker}-y`, vector: [0, 1, 0], payload: { axis: "y", marker: canaryMarker } },
      { id: `${canaryMarker}-z`, vector: [0, 0, 1], payload: { axis: "z", marker: canaryMarker } },
    ],
  };
  await okJson(baseUrl, api("CreateCollection"), { name: canary.name, dimension: 3, distance: canary.distance }, c.apiKey);
  await okJson(baseUrl, api("Upsert"), { collection: canary.name, points: canary.points }, c.apiKey);

  secrets.addHidden(payloadMarker, hiddenId, hiddenName, victimKeyName, b.apiKey, b.session, b.user.id, b.email);
  secrets.addHidden(canaryMarker, canary.name, c.apiKey, c.session, c.user.id, c.email);
  secrets.addEchoOnly(b.keyId, c.keyId);
  return {
    fuzzer: { email: a.email, apiKey: a.apiKey, session: a.session },
    victim: { apiKey: b.apiKey, session: b.session, keyName: victimKeyName, collections: victimCollections },
    canary: { apiKey: c.apiKey, collection: canary },
    pools: { ownNames: ["mine", "shared", "spare"], victimNames: ["shared", "victim-docs"], sharedIds: SHARED_IDS, victimKeyId: b.keyId, dimension: DIMENSION },
    secrets,
  };
}

/** A's own collections, with the dimension the fuzzer's vectors have; one is named like one of B's. */
const FUZZER_COLLECTIONS = [
  { name: "shared", distance: "DISTANCE_COSINE", shardCount: 1 },
  { name: "mine", distance: "DISTANCE_EUCLIDEAN", shardCount: 2 },
] as const;

/**
 * Puts A's collections back as they started when the fuzzing deleted them or made them
 * anew with another dimension, so that later requests again reach real shards.
 */
export async function restoreFuzzerCollections(baseUrl: string, apiKey: string): Promise<void> {
  for (const { name, distance, shardCount } of FUZZER_COLLECTIONS) {
    const found = await callJson(baseUrl, api("GetCollection"), { name }, apiKey);
    if (found.status === 200 && found.body.collection.dimension === DIMENSION) continue;
    if (found.status === 200) await okJson(baseUrl, api("DeleteCollection"), { name }, apiKey);
    await okJson(baseUrl, api("CreateCollection"), { name, dimension: DIMENSION, distance, shardCount }, apiKey);
    const points = [...SHARED_IDS, "a0", "a1"].map((id, i) => ({ id, vector: modelVector(i + 1, DIMENSION), payload: { owner: "A", i } }));
    await okJson(baseUrl, api("Upsert"), { collection: name, points }, apiKey);
  }
}

/** B sees exactly what it wrote: its collections, every point's vector and payload, and its keys. */
export async function expectVictimUnchanged(baseUrl: string, tenants: FuzzTenants): Promise<void> {
  const { victim } = tenants;
  const listed = await okJson(baseUrl, api("ListCollections"), {}, victim.apiKey);
  const expected = [...victim.collections].sort((x, y) => (x.name < y.name ? -1 : 1));
  expect(listed.collections.map((c: any) => [c.name, c.dimension, c.distance, Number(c.pointCount)])).toEqual(
    expected.map((c) => [c.name, c.dimension, c.distance, c.points.length]),
  );
  for (const collection of victim.collections) {
    const page = await okJson(baseUrl, api("Scroll"), { collection: collection.name, limit: 1000, withVector: true }, victim.apiKey);
    const byId = new Map(collection.points.map((p) => [p.id, p]));
    expect(page.points).toEqual(scrollOrder(byId.keys()).map((id) => byId.get(id)));
    expect(page.nextCursor).toBe("");
  }
  const keys = await okJson(baseUrl, "vectron.auth.v1.AuthService/ListAPIKeys", {}, victim.session);
  expect(keys.apiKeys.map((k: any) => k.name).sort()).toEqual([victim.keyName, "test key"].sort());
}

/** C's known search still finds the known nearest point. */
export async function expectCanaryAnswers(baseUrl: string, tenants: FuzzTenants): Promise<void> {
  const { canary } = tenants;
  const found = await okJson(baseUrl, api("Search"), { collection: canary.collection.name, vector: [0.9, 0.1, 0], topK: 2 }, canary.apiKey);
  expect(found.results.map((r: any) => r.id)).toEqual([canary.collection.points[0]!.id, canary.collection.points[1]!.id]);
  expect(found.results[0].payload).toEqual(canary.collection.points[0]!.payload);
}
