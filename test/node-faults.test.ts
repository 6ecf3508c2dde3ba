/**
 * One `vectron serve` process under faults of its own machine, each on a fresh data
 * directory: kill -9 in the middle of concurrent upserts, torn tails in a shard's files
 * (the SQLite WAL and the saved HNSW index), and a full disk. After each, checkData (the
 * cluster test's check): every acknowledged write reads back exactly, a write whose
 * answer was lost is per shard wholly there or wholly absent, Count agrees, and search
 * keeps its recall against exact neighbours.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { shardOf } from "@vectron/api";
import { loadSift, type SiftSet } from "@vectron/datasets";
import { Distance, type VectronService } from "@vectron/proto/v1";
import { newAccount } from "./support/accounts";
import { checkData } from "./support/cluster-checks";
import { ClusterWorkload, type WriteBatch, type WrittenPoint } from "./support/cluster-workload";
import { connectClients } from "./support/connect-clients";
import { readWal } from "./support/sqlite-wal";
import { tempDir } from "./support/temp-dir";
import { fillDisk, mountTmpfs, type Tmpfs } from "./support/tmpfs";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";
import { batchOf, WriteLog } from "./support/write-log";

/** Every shard directory of the node: `<dataDir>/shards/<collectionId>/<shardId>`. */
function shardDirs(dataDir: string): string[] {
  const root = join(dataDir, "shards");
  return readdirSync(root).flatMap((collection) => readdirSync(join(root, collection)).map((shard) => join(root, collection, shard)));
}

/** Files under the shard directories whose name ends in `.tmp`: half-done saves. */
function leftoverTempFiles(dataDir: string): string[] {
  return shardDirs(dataDir).flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith(".tmp")).map((name) => join(dir, name)));
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** The error a call failed with, as a ConnectError; fails the test if it succeeded. */
async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (err) {
    return ConnectError.from(err);
  }
  throw new Error("the call succeeded; it should have been refused");
}

describe("one node under faults", () => {
  let sift: SiftSet;
  const processes: VectronProcess[] = [];
  const dirs: { remove(): void }[] = [];
  let disk: Tmpfs | undefined;

  beforeAll(async () => {
    sift = await loadSift();
  });
  afterAll(async () => {
    // Processes first: a file system still in use by a server would not unmount.
    await Promise.all(processes.map((proc) => proc.kill9().catch(() => {})));
    disk?.unmount();
    for (const dir of dirs) dir.remove();
  });

  async function start(dataDir: string, env: Record<string, string> = {}): Promise<VectronProcess> {
    const proc = await startVectronProcess(dataDir, { env });
    processes.push(proc);
    return proc;
  }

  const api = (proc: VectronProcess, apiKey: string) => connectClients(proc.baseUrl, apiKey, "connect-binary").vectron;

  async function upsert(client: Client<typeof VectronService>, collection: string, points: WrittenPoint[]): Promise<void> {
    const { upserted } = await client.upsert({
      collection,
      points: points.map((p) => ({ id: p.id, vector: Array.from(sift.base[p.row]!), payload: p.payload })),
    });
    expect(upserted).toBe(points.length);
  }

  test("kill -9 in the middle of concurrent upserts to three shards: acknowledged writes all there, none in part", async () => {
    const dir = tempDir("node-kill");
    dirs.push(dir);
    // Indexes saved every 300 ms: the restart loads saved indexes and catches them up from the rows.
    let proc = await start(dir.path, { VECTRON_INDEX_SAVE_INTERVAL_MS: "300" });
    const account = await newAccount(proc.baseUrl);
    await api(proc, account.apiKey).createCollection({ name: "stream", dimension: 128, distance: Distance.EUCLIDEAN, shardCount: 3 });
    const workload = new ClusterWorkload(() => [proc.baseUrl], account.apiKey, "stream", sift, { writers: 4, batchSize: 25 });
    workload.start();
    await waitFor(() => workload.acked().length >= 2000, 60_000, "2,000 acknowledged points");
    await proc.kill9();
    await workload.pause();
    // The kill landed while writes were in flight: their answers were lost.
    expect(workload.unknown().length).toBeGreaterThan(0);

    proc = await start(dir.path);
    const client = api(proc, account.apiKey);
    const { present, unknownPresent } = await checkData(client, { name: "stream", shardCount: 3 }, workload, sift);
    const opened = proc.output().match(/shard [^:]+: (loaded saved index, replayed \d+|rebuilt index)[^,]*/g) ?? [];
    console.log(
      `kill -9 during upserts: ${workload.acked().length} points acknowledged, ${workload.unknown().length} batches unanswered ` +
        `(${unknownPresent} of their points present), ${present} present after restart; ${opened.join("; ")}`,
    );
    // The node takes writes again after the restart.
    const more = batchOf(100_000, 50);
    await upsert(client, "stream", more);
    expect(Number((await client.count({ collection: "stream" })).count)).toBe(present + more.length);
  }, 90_000);

  test("torn tails: garbage after a WAL's last frame, a WAL cut inside its last frame, damaged and stale index files", async () => {
    const dir = tempDir("node-torn");
    dirs.push(dir);
    // No periodic index saves: only a graceful stop saves, so the test knows what is on disk.
    const env = { VECTRON_INDEX_SAVE_INTERVAL_MS: "86400000" };
    let proc = await start(dir.path, env);
    const account = await newAccount(proc.baseUrl);
    let client = api(proc, account.apiKey);
    await client.createCollection({ name: "torn", dimension: 128, distance: Distance.EUCLIDEAN, shardCount: 3 });
    const log = new WriteLog();
    const write = async (from: number, to: number) => {
      for (let batch = from; batch < to; batch++) {
        const points = batchOf(batch, 100);
        await upsert(client, "torn", points);
        log.batches.push({ batch, points, outcome: "acked" });
      }
    };
    await write(0, 15);
    expect(await proc.terminate()).toBe(0); // saves every index
    const [dir0, dir1, dir2] = [0, 1, 2].map((shard) => shardDirs(dir.path).find((d) => d.endsWith(`/${shard}`))!) as [string, string, string];
    // A copy of a saved index that will be stale (its checksum forgotten) by the time it is put back.
    const staleIndex = join(dir.path, "stale-index.usearch");
    copyFileSync(join(dir2, "index.usearch"), staleIndex);
    proc = await start(dir.path, env);
    client = api(proc, account.apiKey);
    await write(15, 30);
    await proc.kill9();

    // Shard 0: a crash while appending the frames of a commit that never completed (so was
    // never acknowledged) leaves a frame header with the right salts and then noise.
    const wal0 = join(dir0, "shard.sqlite-wal");
    const layout0 = readWal(wal0);
    const end0 = layout0.frames.at(-1)!;
    expect(end0.commit).toBe(true);
    const frameEnd = end0.offset + 24 + layout0.pageSize;
    const garbage = randomBytes(24 + layout0.pageSize + layout0.pageSize / 2);
    garbage.set(readFileSync(wal0).subarray(end0.offset + 8, end0.offset + 16), 8); // the salts
    writeAt(wal0, frameEnd, garbage);

    // Shard 1: its last frame cut in half, as a crash in the middle of writing its last
    // commit (batch 29's part on shard 1) leaves; that commit was then never acknowledged.
    const wal1 = join(dir1, "shard.sqlite-wal");
    const layout1 = readWal(wal1);
    // Realistic only if no checkpoint copied that commit into the database file already:
    // SQLite checkpoints when a commit takes the log to 1,000 frames.
    expect(layout1.frames.length).toBeLessThan(1000);
    const end1 = layout1.frames.at(-1)!;
    expect(end1.commit).toBe(true);
    truncateSync(wal1, end1.offset + 24 + layout1.pageSize / 2);
    const torn = log.batches.at(-1)!;
    torn.outcome = "unknown";

    proc = await start(dir.path, env);
    client = api(proc, account.apiKey);
    // The indexes saved at the graceful stop are loaded and caught up from the rows.
    expect(proc.output().match(/loaded saved index, replayed [1-9]\d* changes/g)).toHaveLength(3);
    const { points: tornFound } = await client.get({ collection: "torn", ids: torn.points.map((p) => p.id) });
    expect(tornFound.map((p) => p.id).sort()).toEqual(torn.points.filter((p) => shardOf(p.id, 3) !== 1).map((p) => p.id).sort());
    const { present } = await checkData(client, { name: "torn", shardCount: 3 }, log, sift);
    expect(present).toBe(3000 - torn.points.filter((p) => shardOf(p.id, 3) === 1).length);
    // The node takes writes again: the lost part goes in.
    await upsert(client, "torn", torn.points);
    torn.outcome = "acked";

    // Index files: truncated (shard 0), a byte flipped (shard 1), an older file that was
    // valid once (shard 2), and a half-written temporary file. Each must be noticed and
    // rebuilt from the rows, never loaded.
    expect(await proc.terminate()).toBe(0);
    const index0 = join(dir0, "index.usearch");
    truncateSync(index0, Math.floor(statSync(index0).size / 2));
    const index1 = join(dir1, "index.usearch");
    const bytes1 = readFileSync(index1);
    bytes1[bytes1.length >> 1]! ^= 0x01;
    writeFileSync(index1, bytes1);
    copyFileSync(staleIndex, join(dir2, "index.usearch"));
    writeFileSync(join(dir0, "index.usearch.tmp"), "half a save");
    proc = await start(dir.path, env);
    client = api(proc, account.apiKey);
    expect(proc.output().match(/rebuilt index \(saved index does not match a recorded checksum\)/g)).toHaveLength(3);
    expect(existsSync(join(dir0, "index.usearch.tmp"))).toBe(false);
    expect((await checkData(client, { name: "torn", shardCount: 3 }, log, sift)).present).toBe(3000);
  }, 90_000);

  test("a full disk: writes refused as resource_exhausted 'disk full', reads go on, nothing acknowledged lost, writes resume once space is freed", async () => {
    disk = mountTmpfs(64);
    const dataDir = join(disk.path, "data");
    let proc = await start(dataDir, { VECTRON_INDEX_SAVE_INTERVAL_MS: "300" });
    const account = await newAccount(proc.baseUrl);
    let client = api(proc, account.apiKey);
    await client.createCollection({ name: "full", dimension: 128, distance: Distance.EUCLIDEAN, shardCount: 2 });
    const log = new WriteLog();
    for (let batch = 0; batch < 5; batch++) {
      const points = batchOf(batch, 100, 200);
      await upsert(client, "full", points);
      log.batches.push({ batch, points, outcome: "acked" });
    }

    // Leave 3 MiB, then upsert until the node refuses.
    const filler = join(disk.path, "filler");
    fillDisk(disk, filler, 3 << 20);
    let refused: { error: ConnectError; batch: WriteBatch } | undefined;
    for (let batch = 5; batch < 200 && !refused; batch++) {
      const points = batchOf(batch, 100, 200);
      try {
        await upsert(client, "full", points);
        log.batches.push({ batch, points, outcome: "acked" });
      } catch (err) {
        const entry: WriteBatch = { batch, points, outcome: "unknown", error: String(err) };
        log.batches.push(entry);
        refused = { error: ConnectError.from(err), batch: entry };
      }
    }
    expect(refused, "the disk never filled up").toBeDefined();
    expect(Code[refused!.error.code]).toBe(Code[Code.ResourceExhausted]);
    expect(refused!.error.rawMessage).toMatch(/^disk full: /);
    expect(disk.freeBytes()).toBeLessThan(1 << 20);

    // The process stays up and answers reads: everything acknowledged, exactly.
    expect((await fetch(`${proc.baseUrl}/health`)).status).toBe(200);
    await checkData(client, { name: "full", shardCount: 2 }, log, sift);

    // Placement on a full disk: CreateCollection is refused clearly and leaves nothing behind.
    const create = await refusal(client.createCollection({ name: "second", dimension: 128, distance: Distance.EUCLIDEAN, shardCount: 2 }));
    expect(Code[create.code]).toBe(Code[Code.ResourceExhausted]);
    expect(create.rawMessage).toMatch(/^disk full: /);
    expect((await client.listCollections({})).collections.map((c) => c.name)).toEqual(["full"]);

    // Periodic index saves fail meanwhile (logged), leaving no half-written file behind.
    await Bun.sleep(700);
    expect(proc.output()).toMatch(/index save failed: .*disk full/);
    expect(leftoverTempFiles(dataDir)).toEqual([]);
    expect(await Promise.race([proc.exited.then((code) => `exited with ${code}`), Bun.sleep(1).then(() => "running")])).toBe("running");

    // A graceful stop on the full disk is clean (indexes are a cache: left unsaved), and
    // the node comes back up on it: everything reads back, writes are still refused.
    expect(await proc.terminate()).toBe(0);
    fillDisk(disk, `${filler}-2`); // whatever the stop gave back
    proc = await start(dataDir, { VECTRON_INDEX_SAVE_INTERVAL_MS: "300" });
    client = api(proc, account.apiKey);
    await checkData(client, { name: "full", shardCount: 2 }, log, sift);
    const stillFull = await refusal(upsert(client, "full", refused!.batch.points));
    expect(Code[stillFull.code]).toBe(Code[Code.ResourceExhausted]);
    expect(stillFull.rawMessage).toMatch(/^disk full: /);

    // Accounts on a full disk: PGlite takes new API keys while its table pages have room,
    // then refuses them clearly (Postgres: could not extend file). (Once PGlite has hit
    // the full disk itself, it cannot start again until there is space: it aborts while
    // opening. So this comes after the restart above.)
    const session = connectClients(proc.baseUrl, account.session, "connect-binary").auth;
    const keys: string[] = [];
    let pgRefusal: ConnectError | undefined;
    for (let i = 0; i < 500 && !pgRefusal; i++) {
      try {
        keys.push((await session.createAPIKey({ name: `key ${i} on a full disk` })).key);
      } catch (err) {
        pgRefusal = ConnectError.from(err);
      }
    }
    expect(pgRefusal, "PGlite never ran out of room").toBeDefined();
    expect(Code[pgRefusal!.code]).toBe(Code[Code.ResourceExhausted]);
    expect(pgRefusal!.rawMessage).toMatch(/^disk full: /);

    // Space again: without a restart, the refused batch and new ones go in, a collection
    // can be created, and so can an API key.
    rmSync(filler);
    rmSync(`${filler}-2`);
    await upsert(client, "full", refused!.batch.points);
    refused!.batch.outcome = "acked";
    const after = batchOf(1000, 100, 200);
    await upsert(client, "full", after);
    log.batches.push({ batch: 1000, points: after, outcome: "acked" });
    await client.createCollection({ name: "second", dimension: 128, distance: Distance.EUCLIDEAN, shardCount: 2 });
    await upsert(client, "second", batchOf(0, 10));
    keys.push((await session.createAPIKey({ name: "key after the disk had room again" })).key);
    await checkData(client, { name: "full", shardCount: 2 }, log, sift);

    // A graceful stop saves and closes cleanly; every shard database passes SQLite's
    // integrity check, and after a restart everything is there and PGlite logs users in.
    expect(await proc.terminate()).toBe(0);
    for (const shard of shardDirs(dataDir)) {
      const db = new Database(join(shard, "shard.sqlite"));
      try {
        expect(db.query("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
      } finally {
        db.close();
      }
    }
    proc = await start(dataDir);
    client = api(proc, account.apiKey);
    await checkData(client, { name: "full", shardCount: 2 }, log, sift);
    expect(Number((await client.count({ collection: "second" })).count)).toBe(10);
    const { token } = await connectClients(proc.baseUrl, undefined, "connect-binary").auth.login({ email: account.email, password: account.password });
    expect(token).not.toBe("");
    for (const key of [keys[0]!, keys.at(-2)!, keys.at(-1)!]) {
      expect(Number((await api(proc, key).count({ collection: "full" })).count)).toBe(log.acked().length);
    }
    console.log(
      `full disk: ${log.acked().length} points acknowledged, refusal: ${refused!.error.rawMessage}; ` +
        `${keys.length - 1} API keys created before PGlite refused: ${pgRefusal!.rawMessage}`,
    );
  }, 120_000);
});

/** Writes `bytes` into the file at `position`, over whatever is there. */
function writeAt(path: string, position: number, bytes: Uint8Array): void {
  const fd = openSync(path, "r+");
  try {
    writeSync(fd, bytes, 0, bytes.length, position);
  } finally {
    closeSync(fd);
  }
}
