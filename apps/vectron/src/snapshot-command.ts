import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { VectronClient } from "@vectron/client";
import { writeFileAtomically } from "@vectron/durable-file";
import { createImportProgress } from "./import-progress";
import { importPointFile } from "./import-points";
import { toInt } from "./integer-setting";
import { connectionOptions, connectionUsage, connectToServer } from "./server-connection";
import { shardFilePoints } from "./shard-file-points";
import { saveShardSnapshot } from "./shard-snapshot-file";
import {
  COLLECTION_FILE,
  MANIFEST_FILE,
  POINTS_FILE,
  readVerifiedSnapshot,
  shardFileName,
  snapshotFileOf,
  type SnapshotCollectionConfig,
  type SnapshotManifest,
  type SqliteSnapshotManifest,
} from "./snapshot-manifest";

/** Points per upsert request of a restore. */
const RESTORE_BATCH = 1000;

export const snapshotUsage = `Usage: vectron snapshot <command> [options]

A collection saved to a directory, and created again from it:
  <dir>/collection.json   dimension, metric, shards, replicas, payload indexes
  <dir>/shard-<n>.sqlite  a consistent copy of shard n's SQLite database
  <dir>/manifest.json     each shard's point count and last sequence, each file's size
                          and SHA-256; written last

Commands:
  create <collection> --out <dir>
                          save the collection (<dir> must be new or empty)
  restore <dir> [--as <name>] [--shards <n>] [--replicas <n>]
                          check the files against the manifest, create the collection
                          (under another name with --as; it must not exist) and upsert
                          every shard file's points; fails if the collection does not
                          end with the snapshot's point count

Each shard file is copied on the worker holding the shard's primary, in one read
transaction (SQLite's VACUUM INTO), while writes go on: it holds exactly the shard's
state at one moment, every write acknowledged before the copy began, never part of a
write. The shards are copied one after another, so the snapshot as a whole is not one
moment of the collection when it is written to meanwhile. restore reads the files with
SQLite and upserts their points, so it may use another shard count. A snapshot made by
an earlier version (points.jsonl) is restored too.

${connectionUsage}
`;

/** `vectron snapshot create|restore`; returns the exit code. */
export async function runSnapshotCommand(args: string[], env: Record<string, string | undefined>, out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...connectionOptions,
      out: { type: "string" },
      as: { type: "string" },
      shards: { type: "string" },
      replicas: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...operands] = positionals;
  if (values.help || !command) {
    out(snapshotUsage);
    return values.help ? 0 : 2;
  }
  if (command === "create" && operands.length === 1) {
    if (!values.out) throw new Error("create: pass --out <dir>");
    return await createSnapshot(connectToServer(values, env), operands[0]!, resolve(values.out), out);
  }
  if (command === "restore" && operands.length === 1) {
    const overrides = {
      name: values.as,
      shards: values.shards === undefined ? undefined : toInt("--shards", values.shards, 1, 10_000),
      replicationFactor: values.replicas === undefined ? undefined : toInt("--replicas", values.replicas, 1, 1000),
    };
    return await restoreSnapshot(connectToServer(values, env), resolve(operands[0]!), overrides, out);
  }
  throw new Error(`unknown command or wrong operands: ${JSON.stringify(positionals.join(" "))}`);
}

async function createSnapshot(client: VectronClient, collection: string, dir: string, out: (line: string) => void): Promise<number> {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: snapshot into a new directory`);
  mkdirSync(dir, { recursive: true });
  const info = await client.getCollection(collection);
  const config: SnapshotCollectionConfig = {
    name: info.name,
    dimension: info.dimension,
    metric: info.metric,
    shards: info.shards,
    replicationFactor: info.replicationFactor,
    payloadIndexes: info.payloadIndexes,
  };
  writeFileAtomically(join(dir, COLLECTION_FILE), `${JSON.stringify(config, null, 2)}\n`);
  const files: SqliteSnapshotManifest["files"] = { [COLLECTION_FILE]: await snapshotFileOf(join(dir, COLLECTION_FILE)) };
  const shards: SqliteSnapshotManifest["shards"] = [];
  for (let shard = 0; shard < info.shards; shard++) {
    const file = shardFileName(shard);
    const saved = await saveShardSnapshot(client, collection, shard, join(dir, file));
    files[file] = { bytes: saved.bytes, sha256: saved.sha256 };
    shards.push({ shard, file, lastSeq: saved.lastSeq, points: saved.points });
  }
  const manifest: SqliteSnapshotManifest = {
    format: "vectron-snapshot",
    version: 2,
    kind: "sqlite",
    collection,
    createdAt: new Date().toISOString(),
    points: shards.reduce((sum, s) => sum + s.points, 0),
    shards,
    files,
  };
  writeFileAtomically(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  out(`snapshot of ${collection}: ${manifest.points} points in ${info.shards} shard file(s), ${config.payloadIndexes.length} payload index(es) in ${dir}`);
  return 0;
}

async function restoreSnapshot(
  client: VectronClient,
  dir: string,
  overrides: { name?: string; shards?: number; replicationFactor?: number },
  out: (line: string) => void,
): Promise<number> {
  const { manifest, config } = await readVerifiedSnapshot(dir);
  const name = overrides.name ?? config.name;
  await client.createCollection({
    name,
    dimension: config.dimension,
    metric: config.metric,
    shards: overrides.shards ?? config.shards,
    replicationFactor: overrides.replicationFactor ?? config.replicationFactor,
    payloadIndexes: config.payloadIndexes,
  });
  const upserted = await restorePoints(client, name, dir, manifest, config.dimension);
  const count = await client.count(name);
  if (upserted !== manifest.points || count !== manifest.points) {
    throw new Error(`${name} has ${count} points after upserting ${upserted}, the snapshot ${manifest.points}: it was written to during the restore, or the restore is incomplete`);
  }
  out(`restored ${manifest.collection} as ${name}: ${count} points, ${config.payloadIndexes.length} payload index(es)`);
  return 0;
}

/** Upserts the snapshot's points into `name`; answers how many. */
async function restorePoints(client: VectronClient, name: string, dir: string, manifest: SnapshotManifest, dimension: number): Promise<number> {
  if (manifest.kind === "logical") {
    const result = await importPointFile({
      client,
      collection: name,
      file: join(dir, POINTS_FILE),
      format: "jsonl",
      dimension,
      batchSize: RESTORE_BATCH,
      skipInvalid: false,
      progress: createImportProgress(process.stderr, `restore ${name}`),
    });
    return result.points;
  }
  let upserted = 0;
  for (const { file } of manifest.shards) {
    for (const batch of shardFilePoints(join(dir, file), dimension, RESTORE_BATCH)) {
      upserted += (await client.upsert(name, batch)).upserted;
    }
  }
  return upserted;
}
