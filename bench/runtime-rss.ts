import { join } from "node:path";
import { tempDir } from "../test/support/temp-dir";
import type { ProcessMemory } from "./process-memory";

const PROBE = join(import.meta.dir, "rss-probe.ts");

/** What a process holds before Vectron stores anything: the runtime, and the runtime with PGlite. */
export interface RuntimeMemory {
  /** A Bun process that has loaded one small module. */
  bareBun: ProcessMemory;
  /** A Bun process that has created and migrated the embedded PGlite database, as a first `serve` does. */
  pgliteCreated: ProcessMemory;
  /** The same, reopening that database, as every later `serve` does. */
  pgliteReopened: ProcessMemory;
}

/**
 * Runs rss-probe.ts three times (bare; with PGlite on a fresh directory; with PGlite on
 * that directory again) and reads what each printed.
 */
export async function measureRuntimeMemory(): Promise<RuntimeMemory> {
  const dir = tempDir("bench-pglite");
  try {
    const bareBun = await probe(["bare"]);
    const pgliteCreated = await probe(["pglite", dir.path]);
    return { bareBun, pgliteCreated, pgliteReopened: await probe(["pglite", dir.path]) };
  } finally {
    dir.remove();
  }
}

async function probe(args: string[]): Promise<ProcessMemory> {
  const child = Bun.spawn([process.execPath, PROBE, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`rss-probe ${args[0]} exited with ${code}:\n${stderr}`);
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ProcessMemory;
}
