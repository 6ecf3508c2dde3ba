import { join } from "node:path";
import { now } from "./timing";

const MAIN = join(import.meta.dir, "..", "apps", "vectron", "src", "main.ts");
const LISTENING = /vectron listening http=([\d.]+:\d+) grpc=([\d.]+:\d+)/;

/** How a child's stop went. */
export interface ChildExit {
  /** Exit code, or null when it had to be killed. */
  exitCode: number | null;
  /** True when it did not exit within the grace period and got SIGKILL. */
  killed: boolean;
  /** From sending SIGTERM to the exit, in nanoseconds. */
  elapsedNs: number;
}

/** One `vectron serve` process that has said where it listens. */
export interface VectronChild {
  /** Process id of the server itself (bun runs main.ts directly, no shell in between). */
  pid: number;
  baseUrl: string;
  grpcAddress: string;
  /** `now()` just before the spawn, and when the "vectron listening" line arrived. */
  spawnedAtNs: number;
  listeningAtNs: number;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM (the server saves its indexes and closes), SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs: number): Promise<ChildExit>;
}

/**
 * Starts `vectron serve` on free ports over `dataDir` with the command line of
 * test/support/vectron-process.ts, but spawned here so that the pid is known (for its
 * memory) and the listening line is timed as it arrives rather than polled.
 */
export async function spawnVectron(dataDir: string, { timeoutMs = 60_000 } = {}): Promise<VectronChild> {
  const spawnedAtNs = now();
  const child = Bun.spawn([process.execPath, MAIN, "serve", "--port", "0", "--grpc-port", "0", "--data-dir", dataDir], {
    env: { ...process.env, VECTRON_BCRYPT_COST: "10" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let printed = "";
  const { promise: listening, resolve: heard } = Promise.withResolvers<{ match: RegExpMatchArray; atNs: number }>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      printed += decoder.decode(chunk, { stream: true });
      const match = printed.match(LISTENING);
      if (match) heard({ match, atNs: now() });
    }
  };
  void collect(child.stdout);
  void collect(child.stderr);

  let stopping: Promise<ChildExit> | undefined;
  const stop = async (graceMs: number): Promise<ChildExit> => {
    const started = now();
    child.kill("SIGTERM");
    const exited = await withinMs(child.exited.then(() => true), graceMs, false);
    if (!exited) {
      child.kill("SIGKILL");
      await child.exited;
    }
    return { exitCode: exited ? child.exitCode : null, killed: !exited, elapsedNs: now() - started };
  };
  const exitedEarly = child.exited.then((code) => `exited with ${code}`);
  const started = await withinMs(Promise.race([listening, exitedEarly]), timeoutMs, `did not say it listens within ${timeoutMs / 1000} s`);
  if (typeof started === "string") {
    await stop(0);
    throw new Error(`vectron serve ${started}:\n${printed}`);
  }
  return {
    pid: child.pid,
    baseUrl: `http://${started.match[1]}`,
    grpcAddress: started.match[2]!,
    spawnedAtNs,
    listeningAtNs: started.atNs,
    output: () => printed,
    stop: (graceMs) => (stopping ??= stop(graceMs)),
  };
}

/** `promise`, or `fallback` if it has not settled after `ms`; the timer never outlives it. */
async function withinMs<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
