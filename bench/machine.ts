import { readFileSync } from "node:fs";
import { totalmem } from "node:os";

/** The machine a run happened on, as the README records it. */
export interface MachineInfo {
  /** What `nproc` prints: the processors this process may use. */
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  bunVersion: string;
  platform: string;
}

/** Reads the machine description (Linux: /proc/cpuinfo; elsewhere the model is "unknown"). */
export function describeMachine(): MachineInfo {
  const nproc = Bun.spawnSync(["nproc"]).stdout.toString().trim();
  return {
    nproc: Number(nproc) || navigator.hardwareConcurrency,
    memoryGiB: totalmem() / 2 ** 30,
    cpuModel: cpuModel(),
    bunVersion: Bun.version,
    platform: `${process.platform} ${process.arch}`,
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
