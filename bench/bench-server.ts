import { startVectronProcess } from "../test/support/vectron-process";
import { tempDir } from "../test/support/temp-dir";

/** A `vectron serve` child process on a throwaway data directory. */
export interface BenchServer {
  baseUrl: string;
  grpcAddress: string;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and removes its data. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts one `vectron serve` (all roles, embedded storage) on free ports in a fresh temp dir. */
export async function startBenchServer(): Promise<BenchServer> {
  const dir = tempDir("bench");
  const child = await startVectronProcess(dir.path).catch((error: unknown) => {
    dir.remove();
    throw error;
  });
  let stopping: Promise<void> | undefined;
  const stop = async (graceMs: number) => {
    try {
      const exited = child.terminate().then(() => true);
      const timedOut = Bun.sleep(graceMs).then(() => false);
      if (!(await Promise.race([exited, timedOut]))) await child.kill9();
    } finally {
      dir.remove();
    }
  };
  return {
    baseUrl: child.baseUrl,
    grpcAddress: child.grpcAddress,
    stop: (graceMs = 10_000) => (stopping ??= stop(graceMs)),
  };
}
