import { tempDir } from "../test/support/temp-dir";
import { startVectronProcess, type ChildExit, type VectronProcess } from "../test/support/vectron-process";

/** A `vectron serve` child process on a throwaway data directory. */
export interface BenchServer {
  /** The data directory, kept across restarts and removed by stop(). */
  readonly dataDir: string;
  /** The running process (a new one after each restart). */
  readonly child: VectronProcess;
  readonly baseUrl: string;
  readonly grpcAddress: string;
  /**
   * Stops the process gracefully (SIGTERM: indexes saved) keeping the data, and starts
   * a new one on the same directory; resolves with how the old one exited and the new one.
   */
  restart(): Promise<{ exit: ChildExit; child: VectronProcess }>;
  /** Stops the process (SIGTERM, then SIGKILL after `graceMs`) and removes its data. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** Every server a run started, so that all of them are stopped and removed however it ends. */
export interface BenchServers {
  /** Starts one `vectron serve` (all roles, embedded storage) on free ports in a fresh temp dir. */
  start(): Promise<BenchServer>;
  /** Stops every server still running and removes its data. */
  stopAll(graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 30_000;

export function createBenchServers(): BenchServers {
  const running = new Set<BenchServer>();
  return {
    async start() {
      const server = await startBenchServer(() => running.delete(server));
      running.add(server);
      return server;
    },
    async stopAll(graceMs = DEFAULT_GRACE_MS) {
      await Promise.all([...running].map((server) => server.stop(graceMs)));
    },
  };
}

async function startBenchServer(onStopped: () => void): Promise<BenchServer> {
  const dir = tempDir("bench");
  let child = await startVectronProcess(dir.path).catch((error: unknown) => {
    dir.remove();
    throw error;
  });
  let stopping: Promise<void> | undefined;
  const stop = async (graceMs: number) => {
    try {
      await child.stop(graceMs);
    } finally {
      dir.remove();
      onStopped();
    }
  };
  return {
    dataDir: dir.path,
    get child() {
      return child;
    },
    get baseUrl() {
      return child.baseUrl;
    },
    get grpcAddress() {
      return child.grpcAddress;
    },
    async restart() {
      if (stopping) throw new Error("bench server: restart after stop");
      const exit = await child.stop(DEFAULT_GRACE_MS);
      if (exit.killed || exit.exitCode !== 0) {
        throw new Error(`vectron serve did not stop cleanly (${JSON.stringify(exit)}):\n${child.output()}`);
      }
      child = await startVectronProcess(dir.path);
      return { exit, child };
    },
    stop: (graceMs = DEFAULT_GRACE_MS) => (stopping ??= stop(graceMs)),
  };
}
