import { join } from "node:path";
import { testPlanEnv } from "./test-plans";

const MAIN = join(import.meta.dir, "..", "..", "apps", "vectron", "src", "main.ts");
const LISTENING = /vectron listening http=([\d.]+:\d+) grpc=([\d.]+:\d+)/;

/** How a stop went. */
export interface ChildExit {
  /** Exit code, or null when it had to be killed. */
  exitCode: number | null;
  /** True when it did not exit within the grace period and got SIGKILL. */
  killed: boolean;
  /** From sending SIGTERM to the exit, in nanoseconds. */
  elapsedNs: number;
}

/** One `vectron serve` process that has said where it listens. */
export interface VectronProcess {
  /** Process id of the server itself (bun runs main.ts directly, no shell in between). */
  pid: number;
  /** http://host:port — Connect, gRPC-Web, /health (https:// when started with VECTRON_TLS_CERT). */
  baseUrl: string;
  /** host:port — gRPC (over TLS when started with VECTRON_TLS_CERT). */
  grpcAddress: string;
  /** Bun.nanoseconds() just before the spawn, and when the "vectron listening" line arrived. */
  spawnedAtNs: number;
  listeningAtNs: number;
  /** Everything the process printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM and wait for the exit, however long it takes; returns the exit code. */
  terminate(): Promise<number>;
  /** SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs: number): Promise<ChildExit>;
  /** SIGKILL: no chance to save or close anything. */
  kill9(): Promise<void>;
  /** Sends a signal without waiting (SIGSTOP / SIGCONT to pause and resume it). */
  signal(signal: "SIGSTOP" | "SIGCONT"): void;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number>;
}

export interface VectronProcessOptions {
  /**
   * Added to this process's environment (VECTRON_BCRYPT_COST is 10 and the plans' request
   * rates are out of reach, testPlanEnv, unless given).
   */
  env?: Record<string, string>;
  /** Flags for bun itself, e.g. ["--cpu-prof"] to profile the server. */
  bunFlags?: string[];
  /** How long to wait for the listening line. Default 60 s. */
  timeoutMs?: number;
  /** More `serve` flags, e.g. ["--roles", "worker,api", "--placement", url]. */
  args?: string[];
  /** The program to run instead of `bun apps/vectron/src/main.ts`, e.g. a compiled binary. */
  executable?: string;
  /** Working directory of the process (default: this one). */
  cwd?: string;
}

/**
 * Runs `vectron serve` as a real child process on free ports over `dataDir` and waits
 * until it says where it listens. Tests and benchmarks both start servers this way; the
 * caller ends the process with terminate(), stop() or kill9().
 */
export async function startVectronProcess(dataDir: string, options: VectronProcessOptions = {}): Promise<VectronProcess> {
  const { env = {}, bunFlags = [], timeoutMs = 60_000, args = [], executable, cwd } = options;
  const program = executable ? [executable] : [process.execPath, ...bunFlags, MAIN];
  const spawnedAtNs = Bun.nanoseconds();
  const child = Bun.spawn(
    [...program, "serve", "--port", "0", "--grpc-port", "0", "--data-dir", dataDir, ...args],
    { env: { ...process.env, VECTRON_BCRYPT_COST: "10", ...testPlanEnv, ...env }, cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  let printed = "";
  const { promise: listening, resolve: heard } = Promise.withResolvers<{ match: RegExpMatchArray; atNs: number }>();
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      printed += decoder.decode(chunk, { stream: true });
      const match = printed.match(LISTENING);
      if (match) heard({ match, atNs: Bun.nanoseconds() });
    }
  };
  void collect(child.stdout);
  void collect(child.stderr);

  let stopping: Promise<ChildExit> | undefined;
  const stop = async (graceMs: number): Promise<ChildExit> => {
    const started = Bun.nanoseconds();
    child.kill("SIGTERM");
    const exited = await withinMs(child.exited.then(() => true), graceMs, false);
    if (!exited) {
      child.kill("SIGKILL");
      await child.exited;
    }
    return { exitCode: exited ? child.exitCode : null, killed: !exited, elapsedNs: Bun.nanoseconds() - started };
  };
  const exitedEarly = child.exited.then((code) => `exited with ${code}`);
  const started = await withinMs(Promise.race([listening, exitedEarly]), timeoutMs, `did not say it listens within ${timeoutMs / 1000} s`);
  if (typeof started === "string") {
    await stop(0);
    throw new Error(`vectron serve ${started}:\n${printed}`);
  }
  return {
    pid: child.pid,
    // A process given a certificate serves HTTPS on that port (and gRPC over TLS).
    baseUrl: `${env.VECTRON_TLS_CERT ? "https" : "http"}://${started.match[1]}`,
    grpcAddress: started.match[2]!,
    spawnedAtNs,
    listeningAtNs: started.atNs,
    output: () => printed,
    async terminate() {
      child.kill("SIGTERM");
      return await child.exited;
    },
    stop: (graceMs) => (stopping ??= stop(graceMs)),
    async kill9() {
      child.kill("SIGKILL");
      await child.exited;
    },
    signal(signal) {
      child.kill(signal);
    },
    exited: child.exited,
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
