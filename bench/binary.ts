/**
 * The single binary's size and start-up: builds it with `npm run build:binary`'s command,
 * then spawns it from an empty directory, three times on an empty data directory and
 * three times on a restart (after a graceful stop), timing spawn → "vectron listening".
 * Medians printed; the README's "Single binary" section quotes them.
 *
 * Run: bun bench/binary.ts
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildBinary } from "../test/support/binary-build";
import { tempDir } from "../test/support/temp-dir";
import { startVectronProcess } from "../test/support/vectron-process";
import { describeMachine } from "./machine";
import { median } from "./timing";

const REPETITIONS = 3;
const dir = tempDir("binary-bench");
try {
  const binary = join(dir.path, "vectron");
  buildBinary(binary);
  const sizeMiB = statSync(binary).size / 2 ** 20;
  const first: number[] = [];
  const restart: number[] = [];
  for (let r = 0; r < REPETITIONS; r++) {
    const cwd = join(dir.path, `run-${r}`);
    mkdirSync(cwd);
    const dataDir = join(cwd, "data");
    for (const times of [first, restart]) {
      const server = await startVectronProcess(dataDir, { executable: binary, cwd });
      times.push((server.listeningAtNs - server.spawnedAtNs) / 1e6);
      await server.terminate();
    }
    rmSync(cwd, { recursive: true, force: true });
  }
  const m = describeMachine();
  console.log(`binary: ${sizeMiB.toFixed(0)} MiB (${m.cpuModel}, nproc ${m.nproc}, ${new Date().toISOString()})`);
  console.log(`spawn → listening, empty data directory: median ${median(first).toFixed(0)} ms (${first.map((t) => t.toFixed(0)).join(", ")})`);
  console.log(`spawn → listening, restart: median ${median(restart).toFixed(0)} ms (${restart.map((t) => t.toFixed(0)).join(", ")})`);
} finally {
  dir.remove();
}
