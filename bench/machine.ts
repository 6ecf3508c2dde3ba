import { readFileSync } from "node:fs";
import { loadavg, totalmem } from "node:os";

/** The machine a run happened on, as the README records it. */
export interface MachineInfo {
  /** What `nproc` prints: the processors this process may use. */
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  bunVersion: string;
  platform: string;
  /** 1-minute load average when described: other work competing for the cores. */
  loadAverage: number;
}

/**
 * Reads the machine description (CPU model from /proc/cpuinfo on Linux, else "unknown")
 * and the current load; call it before the run starts.
 */
export function describeMachine(): MachineInfo {
  const nproc = Bun.spawnSync(["nproc"]).stdout.toString().trim();
  return {
    nproc: Number(nproc) || navigator.hardwareConcurrency,
    memoryGiB: totalmem() / 2 ** 30,
    cpuModel: cpuModel(),
    bunVersion: Bun.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg()[0]!,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":")[1]?.trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}
