import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createVectronClient, NotFoundError, type VectronClient } from "@vectron/client";
import { newAccount } from "./support/accounts";
import { allPoints } from "./support/sift-point-files";
import { connectClients } from "./support/connect-clients";
import { tempDir } from "./support/temp-dir";
import { runVectronCli } from "./support/vectron-cli";
import { startVectronProcess, type VectronProcess } from "./support/vectron-process";

/** Ids every batch rewrites, and ids each batch adds. */
const FIXED = 40;
const ADDED = 10;
const DIMENSION = 4;

/** Batch b: every fixed id gets marker b, and b adds ids of its own, in one upsert. */
function batch(b: number) {
  const point = (id: string, i: number) => ({ id, vector: [b, i, 1, 0], payload: { batch: b } });
  return [
    ...Array.from({ length: FIXED }, (_, i) => point(`fixed-${i}`, i)),
    ...Array.from({ length: ADDED }, (_, i) => point(`added-${b}-${i}`, i)),
  ];
}

interface FilePoint {
  id: string;
  vector: number[];
  payload: { batch: number };
}

/** A shard file's live points in id order, after checking it with PRAGMA integrity_check. */
function shardFilePoints(path: string): FilePoint[] {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.query("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    return db
      .query<{ id: string; payload: string; vector: Uint8Array }, []>("SELECT id, payload, vector FROM points WHERE vector IS NOT NULL ORDER BY id")
      .all()
      .map((row) => ({ id: row.id, vector: Array.from(new Float32Array(Uint8Array.from(row.vector).buffer)), payload: JSON.parse(row.payload) }));
  } finally {
    db.close();
  }
}

/** Batch of an id: the marker of a fixed id is its payload's, an added id's is in its name. */
const batchOfAdded = (id: string) => Number(id.split("-")[1]);

/**
 * `vectron snapshot` copies each shard's SQLite database on the shard's primary, in one
 * read transaction, while a writer keeps writing: each file is intact and holds one
 * committed state (every batch wholly in or out), and restoring it gives exactly the
 * points of the files. Another user cannot snapshot the collection.
 */
describe("vectron snapshot: consistent shard copies", () => {
  const dir = tempDir("cli-snapshot");
  let server: VectronProcess;
  let client: VectronClient;
  let readOnlyEnv: Record<string, string>;
  let env: Record<string, string>;
  let other: VectronClient;

  beforeAll(async () => {
    server = await startVectronProcess(join(dir.path, "data"));
    const [owner, stranger] = await Promise.all([newAccount(server.baseUrl, "snap-owner"), newAccount(server.baseUrl, "snap-other")]);
    client = createVectronClient({ baseUrl: server.baseUrl, apiKey: owner.apiKey });
    other = createVectronClient({ baseUrl: server.baseUrl, apiKey: stranger.apiKey });
    const readOnly = await connectClients(server.baseUrl, owner.session).auth.createAPIKey({ name: "reader", readOnly: true });
    env = { VECTRON_URL: server.baseUrl, VECTRON_API_KEY: owner.apiKey };
    readOnlyEnv = { VECTRON_URL: server.baseUrl, VECTRON_API_KEY: readOnly.key };
    await client.createCollection({ name: "live", dimension: DIMENSION, metric: "euclidean", shards: 2, payloadIndexes: [{ key: "batch", kind: "integer" }] });
  }, 60_000);
  afterAll(async () => {
    await server?.terminate();
    dir.remove();
  });

  test("a snapshot taken while a writer upserts: intact files, whole batches, restored identically", async () => {
    let written = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) await client.upsert("live", batch(written++));
    })();
    while (written < 5) await Bun.sleep(10);

    const snapshotDir = join(dir.path, "during");
    const before = written;
    // A read-only key may snapshot: it is a read.
    const created = await runVectronCli(["snapshot", "create", "live", "--out", snapshotDir], readOnlyEnv);
    const during = written - before;
    stop = true;
    await writer;
    expect(created).toMatchObject({ exitCode: 0, stderr: "" });
    expect(during).toBeGreaterThan(0);

    // Every point the writer wrote, each in the shard that holds it.
    const afterDir = join(dir.path, "after");
    expect((await runVectronCli(["snapshot", "create", "live", "--out", afterDir], env)).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(snapshotDir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ version: 2, kind: "sqlite", collection: "live" });

    const snapshotPoints: FilePoint[] = [];
    for (const shard of [0, 1]) {
      const copy = shardFilePoints(join(snapshotDir, `shard-${shard}.sqlite`));
      const final = shardFilePoints(join(afterDir, `shard-${shard}.sqlite`));
      expect(final.length).toBeGreaterThan(0);
      // One state: every fixed id of this shard carries the same batch marker M ...
      const markers = new Set(copy.filter((p) => p.id.startsWith("fixed-")).map((p) => p.payload.batch));
      expect(markers.size).toBe(1);
      const last = [...markers][0]!;
      // ... and the shard holds exactly its ids of batches 0..M: none missing, none later.
      const expected = final
        .filter((p) => p.id.startsWith("fixed-") || batchOfAdded(p.id) <= last)
        .map((p) => (p.id.startsWith("fixed-") ? p.id : p));
      expect(copy.map((p) => (p.id.startsWith("fixed-") ? p.id : p))).toEqual(expected);
      expect(manifest.shards[shard]).toMatchObject({ shard, file: `shard-${shard}.sqlite`, points: copy.length });
      snapshotPoints.push(...copy);
    }
    expect(manifest.points).toBe(snapshotPoints.length);
    // The copy began after the writer's first batches were acknowledged.
    expect(snapshotPoints.filter((p) => p.id.startsWith("added-")).length).toBeGreaterThanOrEqual(before * ADDED);

    // Restored under another name, and with another shard count: the files' points exactly.
    const byId = (points: FilePoint[]) => [...points].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const [name, extra] of [["copy", []], ["copy-one-shard", ["--shards", "1"]]] as const) {
      const restored = await runVectronCli(["snapshot", "restore", snapshotDir, "--as", name, ...extra], env);
      expect(restored).toMatchObject({ exitCode: 0, stdout: `restored live as ${name}: ${snapshotPoints.length} points, 1 payload index(es)\n` });
      const points = (await allPoints(client, name)).map((p) => ({ id: p.id, vector: Array.from(p.vector!), payload: p.payload }));
      expect(points).toEqual(byId(snapshotPoints));
      const info = await client.getCollection(name);
      expect(info.payloadIndexes).toEqual([{ key: "batch", kind: "integer" }]);
      expect(info.shards).toBe(name === "copy" ? 2 : 1);
    }
  }, 120_000);

  test("snapshotShard streams the file to its owner only; another user gets not_found", async () => {
    const chunks = [];
    for await (const chunk of client.snapshotShard("live", 1)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(0);
    const bytes = chunks.reduce((sum, c) => sum + c.data.length, 0);
    expect(bytes).toBe(chunks[0]!.totalBytes);
    // An SQLite file.
    expect(new TextDecoder().decode(chunks[0]!.data.subarray(0, 15))).toBe("SQLite format 3");

    const stranger = await (async () => {
      for await (const _ of other.snapshotShard("live", 0)) return "streamed";
    })().catch((e) => e);
    expect(stranger).toBeInstanceOf(NotFoundError);
    expect(stranger).toMatchObject({ code: "not_found" });

    const outOfRange = await (async () => {
      for await (const _ of client.snapshotShard("live", 2)) return "streamed";
    })().catch((e) => e);
    expect(outOfRange).toMatchObject({ code: "invalid_argument" });
  }, 60_000);

  test("restore refuses manifest names outside the snapshot and files that are not regular, before creating anything", async () => {
    const good = join(dir.path, "tamper-source");
    expect((await runVectronCli(["snapshot", "create", "live", "--out", good], env)).exitCode).toBe(0);
    const manifest = JSON.parse(readFileSync(join(good, "manifest.json"), "utf8"));
    // A file outside the snapshot that restore would upload: a valid shard copy with the
    // right size and hash, so only the name and file-type checks stand in the way.
    mkdirSync(join(dir.path, "victim"));
    const victim = join(dir.path, "victim", "other.sqlite");
    copyFileSync(join(good, "shard-0.sqlite"), victim);
    const victimFile = manifest.files["shard-0.sqlite"];

    /** A copy of the good snapshot with `tamper` applied to its directory and manifest. */
    const tampered = (name: string, tamper: (snapshot: string, m: typeof manifest) => void) => {
      const snapshot = join(dir.path, name);
      cpSync(good, snapshot, { recursive: true });
      const m = structuredClone(manifest);
      tamper(snapshot, m);
      writeFileSync(join(snapshot, "manifest.json"), JSON.stringify(m));
      return snapshot;
    };
    const cases: [string, RegExp][] = [
      [
        tampered("shard-outside", (_, m) => {
          m.shards[0].file = "../victim/other.sqlite";
        }),
        /manifest shards\[0\]\.file: "\.\.\/victim\/other\.sqlite" is not a plain file name/,
      ],
      [
        tampered("files-outside", (_, m) => {
          m.files["../victim/other.sqlite"] = victimFile;
        }),
        /manifest files\["\.\.\/victim\/other\.sqlite"\]: .* is not a plain file name/,
      ],
      [
        tampered("shard-unlisted", (_, m) => {
          delete m.files["shard-1.sqlite"];
        }),
        /manifest shards\[1\]\.file: "shard-1\.sqlite" is not listed in files/,
      ],
      [
        tampered("shard-symlink", (snapshot) => {
          rmSync(join(snapshot, "shard-0.sqlite"));
          symlinkSync(victim, join(snapshot, "shard-0.sqlite"));
        }),
        /manifest files\["shard-0\.sqlite"\]: .* is a symbolic link/,
      ],
      [
        tampered("shard-fifo", (snapshot) => {
          rmSync(join(snapshot, "shard-1.sqlite"));
          expect(Bun.spawnSync(["mkfifo", join(snapshot, "shard-1.sqlite")]).exitCode).toBe(0);
        }),
        /manifest files\["shard-1\.sqlite"\]: .* is not a regular file/,
      ],
    ];
    for (const [i, [snapshot, refusal]] of cases.entries()) {
      const restored = await runVectronCli(["snapshot", "restore", snapshot, "--as", `tampered-${i}`], env);
      expect(restored.exitCode).not.toBe(0);
      expect(restored.stderr).toMatch(refusal);
      // Refused before the collection was created.
      expect(await client.getCollection(`tampered-${i}`).catch((e) => e)).toBeInstanceOf(NotFoundError);
    }
    expect(existsSync(victim)).toBe(true);
    // The untampered snapshot still restores.
    expect((await runVectronCli(["snapshot", "restore", good, "--as", "untampered"], env)).exitCode).toBe(0);
  }, 60_000);
});
