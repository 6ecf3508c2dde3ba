/**
 * The limits are configurable on a real `vectron serve`: each VECTRON_MAX_* variable
 * changes what the node accepts, and the refusal names the configured limit. The filter
 * bounds are read by the API and by the worker's shard threads alike. (And the data
 * directory's mode, which the same start-up sets.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, statSync } from "node:fs";
import { newAccount } from "./support/accounts";
import { callJson, okJson } from "./support/connect-json";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

const V = "vectron.v1.VectronService";
const env = {
  VECTRON_MAX_DIMENSION: "8",
  VECTRON_MAX_TOP_K: "5",
  VECTRON_MAX_BATCH_POINTS: "3",
  VECTRON_MAX_FILTER_CONDITIONS: "2",
  VECTRON_MAX_FILTER_ANY_VALUES: "3",
};

const dir = tempDir("limits-process");
let proc: VectronProcess;
let key: string;
beforeAll(async () => {
  chmodSync(dir.path, 0o755); // as a data directory made by hand with the usual umask
  proc = await startVectronProcess(dir.path, { env });
  key = (await newAccount(proc.baseUrl, "limits")).apiKey;
  await okJson(proc.baseUrl, `${V}/CreateCollection`, { name: "c", dimension: 2, distance: "DISTANCE_EUCLIDEAN", shardCount: 2 }, key);
  const points = [0, 1, 2].map((i) => ({ id: `p${i}`, vector: [i, 1], payload: { k: i, tag: `t${i}` } }));
  await okJson(proc.baseUrl, `${V}/Upsert`, { collection: "c", points }, key);
}, 60_000);
afterAll(async () => {
  await proc?.stop(10_000);
  dir.remove();
});

async function refusal(path: string, body: unknown): Promise<string> {
  const reply = await callJson(proc.baseUrl, `${V}/${path}`, body, key);
  expect(reply.status).toBe(400);
  expect(reply.body.code).toBe("invalid_argument");
  return reply.body.message;
}

test("the node makes its data directory owner-only: the database and shard files inside are out of other users' reach", () => {
  expect(statSync(dir.path).mode & 0o777).toBe(0o700);
});

test("each configured limit is applied, and named in the refusal", async () => {
  expect(await refusal("CreateCollection", { name: "big", dimension: 9, distance: "DISTANCE_DOT" })).toContain("8");
  expect(await refusal("Search", { collection: "c", vector: [0, 1], topK: 6 })).toMatch(/^topK: .*5/);
  const four = [0, 1, 2, 3].map((i) => ({ id: `q${i}`, vector: [i, 2] }));
  expect(await refusal("Upsert", { collection: "c", points: four })).toMatch(/^points: .*3/);
  const condition = (k: number) => ({ key: "k", match: { value: k } });
  expect(await refusal("Search", { collection: "c", vector: [0, 1], topK: 5, filter: { should: [condition(0), condition(1), condition(2)] } })).toMatch(
    /^filter: must have at most 2 conditions/,
  );
  expect(await refusal("Count", { collection: "c", filter: { must: [{ key: "tag", match: { any: ["t0", "t1", "t2", "t3"] } }] } })).toMatch(
    /^filter\.must\[0\]\.match\.any: must have at most 3 values/,
  );
});

test("requests at the configured limits are served, through the workers' own filter checks", async () => {
  const condition = (k: number) => ({ key: "k", match: { value: k } });
  const search = await okJson(proc.baseUrl, `${V}/Search`, { collection: "c", vector: [0, 1], topK: 5, filter: { should: [condition(0), condition(2)] } }, key);
  expect(search.results.map((hit: { id: string }) => hit.id).sort()).toEqual(["p0", "p2"]);
  const count = await okJson(proc.baseUrl, `${V}/Count`, { collection: "c", filter: { must: [{ key: "tag", match: { any: ["t0", "t1", "t2"] } }] } }, key);
  expect(Number(count.count)).toBe(3);
});
