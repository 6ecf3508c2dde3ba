import { join } from "node:path";
import type { Subprocess } from "bun";

const MAIN = join(import.meta.dir, "..", "..", "apps", "vectron", "src", "main.ts");

export interface VectronProcess {
  baseUrl: string;
  grpcAddress: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM and wait for a clean exit; returns the exit code. */
  terminate(): Promise<number>;
  /** SIGKILL: no chance to save or close anything. */
  kill9(): Promise<void>;
}

/**
 * Runs `vectron serve` as a real child process on free ports and waits until it says
 * where it listens. The process is bounded in time by the caller's test timeout and is
 * killed by terminate()/kill9().
 */
export async function startVectronProcess(
  dataDir: string,
  env: Record<string, string> = {},
  /** Flags for bun itself, e.g. ["--cpu-prof"] to profile the server. */
  bunFlags: string[] = [],
): Promise<VectronProcess> {
  const child: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(
    [process.execPath, ...bunFlags, MAIN, "serve", "--port", "0", "--grpc-port", "0", "--data-dir", dataDir],
    { env: { ...process.env, VECTRON_BCRYPT_COST: "10", ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  let printed = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) printed += decoder.decode(chunk, { stream: true });
  };
  void collect(child.stdout);
  void collect(child.stderr);
  const deadline = Date.now() + 30_000;
  let match: RegExpMatchArray | null = null;
  while (!(match = printed.match(/vectron listening http=([\d.]+:\d+) grpc=([\d.]+:\d+)/))) {
    if (child.exitCode !== null) throw new Error(`vectron exited with ${child.exitCode}:\n${printed}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`vectron did not start within 30 s:\n${printed}`);
    }
    await Bun.sleep(25);
  }
  return {
    baseUrl: `http://${match[1]}`,
    grpcAddress: match[2]!,
    output: () => printed,
    async terminate() {
      child.kill("SIGTERM");
      return await child.exited;
    },
    async kill9() {
      child.kill("SIGKILL");
      await child.exited;
    },
  };
}
