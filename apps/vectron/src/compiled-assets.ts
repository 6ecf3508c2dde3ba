import { tmpdir } from "node:os";
import { join } from "node:path";
import initdbWasmPath from "@electric-sql/pglite/initdb.wasm" with { type: "file" };
import pgliteDataPath from "@electric-sql/pglite/pglite.data" with { type: "file" };
import pgliteWasmPath from "@electric-sql/pglite/pglite.wasm" with { type: "file" };
import { writeEmbeddedMigrations, type PgliteAssets } from "@vectron/db";

/**
 * Where `bun build --compile` (with packages/worker/src/shard-thread.ts as a second entry
 * point, see the README) puts the shard thread's entry, relative to the main one.
 */
export const compiledShardThreadEntry = "./packages/worker/src/shard-thread.ts";

/** True inside a `bun build --compile` binary: its modules live in Bun's embedded file system. */
export function isCompiledBinary(): boolean {
  return import.meta.path.startsWith("/$bunfs/") || import.meta.path.startsWith("B:\\~BUN\\");
}

/**
 * What a compiled binary must hand the database layer itself: PGlite's WebAssembly and
 * file-system bundle (embedded by the imports above), and the migrations, written out to
 * a temporary folder for drizzle's migrator.
 */
export async function loadCompiledAssets(): Promise<{ pgliteAssets: PgliteAssets; migrationsFolder: string }> {
  const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
    WebAssembly.compile(await Bun.file(pgliteWasmPath).arrayBuffer()),
    WebAssembly.compile(await Bun.file(initdbWasmPath).arrayBuffer()),
    Bun.file(pgliteDataPath).arrayBuffer().then((bytes) => new Blob([bytes])),
  ]);
  const migrationsFolder = writeEmbeddedMigrations(join(tmpdir(), `vectron-migrations-${process.pid}`));
  return { pgliteAssets: { pgliteWasmModule, initdbWasmModule, fsBundle }, migrationsFolder };
}
