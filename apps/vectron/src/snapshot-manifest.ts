import { createHash } from "node:crypto";
import { createReadStream, lstatSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Metric, PayloadIndexSpec } from "@vectron/client";
import { checkSnapshotFileName, regularSnapshotFile, SHARD_FILE_PATTERN } from "./snapshot-file-name";

/** <dir>/collection.json: what it takes to create the collection again. */
export interface SnapshotCollectionConfig {
  name: string;
  dimension: number;
  metric: Metric;
  shards: number;
  replicationFactor: number;
  payloadIndexes: PayloadIndexSpec[];
}

/** A file of the snapshot with its size and SHA-256 (hex). */
export interface SnapshotFile {
  bytes: number;
  sha256: string;
}

/**
 * <dir>/manifest.json, written last: a directory without it is an unfinished snapshot.
 * Version 2 (`kind: "sqlite"`): one consistent copy of each shard's SQLite database,
 * `shard-<n>.sqlite`, made on the shard's primary. Version 1 (`kind: "logical"`,
 * still restored): the points read through the API into points.jsonl.
 */
export type SnapshotManifest = SqliteSnapshotManifest | LogicalSnapshotManifest;

export interface SqliteSnapshotManifest {
  format: "vectron-snapshot";
  version: 2;
  kind: "sqlite";
  collection: string;
  createdAt: string;
  /** Live points over every shard file. */
  points: number;
  /** Each shard's copy: its file, and the shard's last sequence and live points in it. */
  shards: { shard: number; file: string; lastSeq: number; points: number }[];
  /** collection.json and every shard file. */
  files: Record<string, SnapshotFile>;
}

export interface LogicalSnapshotManifest {
  format: "vectron-snapshot";
  version: 1;
  kind: "logical";
  collection: string;
  createdAt: string;
  /** Points in points.jsonl, and the collection's count before and after they were read. */
  points: number;
  pointCountBefore: number;
  pointCountAfter: number;
  files: { "collection.json": SnapshotFile; "points.jsonl": SnapshotFile };
}

export const MANIFEST_FILE = "manifest.json";
export const COLLECTION_FILE = "collection.json";
export const POINTS_FILE = "points.jsonl";

/** The file of shard `n`'s copy. */
export function shardFileName(shard: number): string {
  return `shard-${shard}.sqlite`;
}

/** A file's size and SHA-256, read as a stream. */
export async function snapshotFileOf(path: string): Promise<SnapshotFile> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { bytes: statSync(path).size, sha256: hash.digest("hex") };
}

/**
 * Reads a snapshot directory's manifest and checks every file against it (size and
 * SHA-256); throws naming the file that is missing or differs. Every name the manifest
 * gives must be a plain file name in `dir`, each shard file and collection.json (and
 * points.jsonl of a version 1 snapshot) must be listed in `files`, and each listed file
 * must be a regular file, all checked before any file is opened: restore reads only
 * files inside `dir` whose contents the manifest vouches for.
 */
export async function readVerifiedSnapshot(dir: string): Promise<{ manifest: SnapshotManifest; config: SnapshotCollectionConfig }> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestStat = lstatSync(manifestPath, { throwIfNoEntry: false });
  if (!manifestStat) throw new Error(`${dir} has no ${MANIFEST_FILE}: not a snapshot, or one that did not finish`);
  if (!manifestStat.isFile()) throw new Error(`${manifestPath} is not a regular file`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as SnapshotManifest;
  if (manifest.format !== "vectron-snapshot" || (manifest.version !== 1 && manifest.version !== 2)) throw new Error(`${manifestPath} is not a snapshot this version reads`);
  const files = checkedFileNames(manifestPath, manifest);
  const paths = files.map((name) => regularSnapshotFile(dir, `files[${JSON.stringify(name)}]`, name));
  for (const [i, name] of files.entries()) {
    const expected = manifest.files[name as keyof typeof manifest.files] as SnapshotFile;
    const actual = await snapshotFileOf(paths[i]!);
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
      throw new Error(`${paths[i]} does not match the manifest (${actual.bytes} bytes, sha256 ${actual.sha256}; expected ${expected.bytes}, ${expected.sha256})`);
    }
  }
  const config = JSON.parse(readFileSync(join(dir, COLLECTION_FILE), "utf8")) as SnapshotCollectionConfig;
  return { manifest, config };
}

/**
 * The names in the manifest's `files`, each checked to be a plain file name, once every
 * file restore reads is known to be among them; throws naming the entry at fault.
 */
function checkedFileNames(manifestPath: string, manifest: SnapshotManifest): string[] {
  const files: unknown = manifest.files;
  if (files === null || typeof files !== "object" || Array.isArray(files)) throw new Error(`${manifestPath}: files must be an object of file names`);
  const names = Object.keys(files).map((name) => checkSnapshotFileName(`files[${JSON.stringify(name)}]`, name));
  const listed = new Set(names);
  const needed = manifest.version === 1 ? [COLLECTION_FILE, POINTS_FILE] : [COLLECTION_FILE];
  for (const name of needed) {
    if (!listed.has(name)) throw new Error(`${manifestPath}: files does not list ${name}`);
  }
  if (manifest.version === 2) {
    const shards: unknown = manifest.shards;
    if (!Array.isArray(shards)) throw new Error(`${manifestPath}: shards must be a list`);
    for (const [i, shard] of (shards as { file?: unknown }[]).entries()) {
      const entry = `shards[${i}].file`;
      const file = checkSnapshotFileName(entry, shard?.file);
      if (!SHARD_FILE_PATTERN.test(file)) throw new Error(`manifest ${entry}: ${JSON.stringify(file)} is not a shard file name (shard-<n>.sqlite)`);
      if (!listed.has(file)) throw new Error(`manifest ${entry}: ${JSON.stringify(file)} is not listed in files, so its contents are not verified`);
    }
  }
  return names;
}
