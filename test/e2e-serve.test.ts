import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { exactTopK, loadSift, recall, siftPayload, type SiftSet } from "@vectron/datasets";
import { okJson } from "./support/connect-json";
import { connectJsonDriver, grpcDriver, type PlainPoint, type ProtocolDriver } from "./support/protocol-drivers";
import { tempDir } from "./support/temp-dir";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

async function deleteIds(baseUrl: string, key: string, collection: string, ids: string[]) {
  if (ids.length) await okJson(baseUrl, "vectron.v1.VectronService/Delete", { collection, ids }, key);
}

/**
 * `vectron serve` as a real process: the seed flows over Connect JSON and over gRPC with
 * the SIFT set, then a graceful restart and a kill -9, checking everything again each time.
 */
describe("vectron serve end to end (SIFT, Connect JSON and gRPC)", () => {
  const dir = tempDir("e2e");
  let sift: SiftSet;
  let truth: string[][];
  let proc: VectronProcess;
  const users = new Map<string, { key: string; collection: string }>();

  beforeAll(async () => {
    sift = await loadSift();
    truth = sift.queries.map((q) => exactTopK("euclidean", sift.base, q, 10).map((i) => sift.baseIds[i]!));
    proc = await startVectronProcess(dir.path);
  }, 60_000);
  afterAll(async () => {
    await proc?.kill9().catch(() => {});
    dir.remove();
  });

  const points = (): PlainPoint[] =>
    sift.base.map((v, i) => ({ id: sift.baseIds[i]!, vector: Array.from(v), payload: siftPayload(i, sift.baseIds[i]!) }));

  const drivers = (): ProtocolDriver[] => [connectJsonDriver(proc.baseUrl), grpcDriver(proc.grpcAddress)];

  async function verify(driver: ProtocolDriver, key: string, collection: string) {
    expect(await driver.count(key, collection)).toBe(4500);
    const all = points();
    for (let start = 0; start < all.length; start += 1000) {
      const batch = all.slice(start, start + 1000);
      const got = await driver.get(key, collection, batch.map((p) => p.id));
      expect(got).toHaveLength(batch.length);
      got.forEach((point, i) => {
        expect(point.id).toBe(batch[i]!.id);
        expect(point.vector).toEqual(batch[i]!.vector);
        expect(point.payload).toEqual(batch[i]!.payload);
      });
    }
    let total = 0;
    for (let q = 0; q < sift.queries.length; q++) {
      const hits = await driver.search(key, collection, Array.from(sift.queries[q]!), 10);
      expect(hits).toHaveLength(10);
      for (const hit of hits) {
        const row = sift.baseIds.indexOf(hit.id);
        expect(hit.payload).toEqual(siftPayload(row, hit.id));
      }
      total += recall(hits.map((h) => h.id), truth[q]!);
    }
    const recallAt10 = total / sift.queries.length;
    console.log(`${driver.name}: recall@10 = ${recallAt10.toFixed(4)} over ${sift.queries.length} queries`);
    expect(recallAt10).toBeGreaterThanOrEqual(0.95);
  }

  async function verifyAll() {
    for (const driver of drivers()) {
      try {
        const { key, collection } = users.get(driver.name)!;
        await verify(driver, key, collection);
      } finally {
        driver.close();
      }
    }
  }

  test("register, log in, create a key and a collection, upsert SIFT, get and search", async () => {
    for (const driver of drivers()) {
      try {
        const email = `e2e-${driver.name}@example.com`;
        await driver.register(email, "e2e password 123");
        const session = await driver.login(email, "e2e password 123");
        const key = await driver.createKey(session);
        const collection = `sift-${driver.name}`;
        await driver.createCollection(key, collection, 128, 2);
        const all = points();
        for (let start = 0; start < all.length; start += 500) {
          expect(await driver.upsert(key, collection, all.slice(start, start + 500))).toBe(Math.min(500, all.length - start));
        }
        users.set(driver.name, { key, collection });
        await verify(driver, key, collection);
      } finally {
        driver.close();
      }
    }
  });

  test("a graceful restart (SIGTERM) keeps everything, including writes in flight", async () => {
    const { key, collection } = users.get("connect-json")!;
    // Upserts still running when SIGTERM arrives either finish (and are then durable) or
    // are refused; none may be acknowledged and then lost.
    const inFlight = points()
      .slice(0, 8)
      .map((p, i) => ({ ...p, id: `inflight-${i}`, payload: { inflight: i } }));
    const driver = connectJsonDriver(proc.baseUrl);
    const pending = inFlight.map((p) => driver.upsert(key, collection, [p]).then(() => true, () => false));
    await Bun.sleep(1);
    const exitCode = proc.terminate();
    const acknowledged = await Promise.all(pending);
    expect(await exitCode).toBe(0);
    expect(proc.output()).toContain("vectron: stopped");
    proc = await startVectronProcess(dir.path);
    // Both collections have 2 shards; each loaded its saved index instead of rebuilding.
    expect(proc.output().match(/loaded saved index, replayed 0 changes/g)).toHaveLength(4);
    expect(proc.output()).not.toContain("rebuilt index");
    const survivors = await connectJsonDriver(proc.baseUrl).get(key, collection, inFlight.map((p) => p.id));
    const survived = new Set(survivors.map((p) => p.id));
    inFlight.forEach((p, i) => {
      if (acknowledged[i]) expect(survived.has(p.id)).toBe(true);
    });
    console.log(`SIGTERM during ${inFlight.length} upserts: ${acknowledged.filter(Boolean).length} acknowledged, ${survived.size} present after restart`);
    // Remove them again so the counts checked below hold.
    await deleteIds(proc.baseUrl, key, collection, [...survived]);
    await verifyAll();
  });

  test("kill -9 loses no acknowledged write", async () => {
    const { key, collection } = users.get("connect-json")!;
    const driver = connectJsonDriver(proc.baseUrl);
    // Replace 100 points right before the kill: acknowledged, so durable.
    const changed = points().slice(0, 100).map((p) => ({ ...p, payload: { ...p.payload, changed: true } }));
    expect(await driver.upsert(key, collection, changed)).toBe(100);
    await proc.kill9();
    proc = await startVectronProcess(dir.path);
    // The index saved at the last clean stop is loaded and caught up from the newer rows.
    expect(proc.output().match(/loaded saved index/g)).toHaveLength(4);
    expect(proc.output()).not.toContain("rebuilt index");
    const again = connectJsonDriver(proc.baseUrl);
    const got = await again.get(key, collection, changed.map((p) => p.id));
    expect(got.map((p) => p.payload)).toEqual(changed.map((p) => p.payload));
    // Put the originals back so the full check below holds.
    expect(await again.upsert(key, collection, points().slice(0, 100))).toBe(100);
    await verifyAll();
  });

  test("a collection recorded just before a crash, its shards never opened, is repaired at start", async () => {
    const { key } = users.get("connect-json")!;
    const shardsDir = join(dir.path, "shards");
    const before = new Set(readdirSync(shardsDir));
    const api = (method: string, body: unknown) => okJson(proc.baseUrl, `vectron.v1.VectronService/${method}`, body, key);
    await api("CreateCollection", { name: "half-made", dimension: 4, distance: "DISTANCE_DOT", shardCount: 2 });
    const created = readdirSync(shardsDir).filter((d) => !before.has(d));
    expect(created).toHaveLength(1);
    await proc.kill9();
    rmSync(join(shardsDir, created[0]!), { recursive: true });
    proc = await startVectronProcess(dir.path);
    expect((await api("Count", { collection: "half-made" })).count).toBe("0");
    expect((await api("Upsert", { collection: "half-made", points: [{ id: "x", vector: [1, 2, 3, 4] }] })).upserted).toBe(1);
    expect((await api("Search", { collection: "half-made", vector: [1, 0, 0, 0], topK: 1 })).results[0].id).toBe("x");
  });
});
