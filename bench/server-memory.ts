import type { BenchServer } from "./bench-server";
import { readProcessMemory, type ProcessMemory } from "./process-memory";

/** The server's memory at one stage of a run, with the points it held then. */
export interface MemorySample {
  stage: string;
  points: number;
  memory: ProcessMemory;
}

/** Reads the current server process's VmRSS/VmHWM for `stage`. */
export function sampleServerMemory(server: BenchServer, stage: string, points: number): MemorySample {
  return { stage, points, memory: readProcessMemory(server.child.pid) };
}

/**
 * Resident bytes each stored point adds: the RSS of `loaded` less that of `empty` (the
 * same kind of process holding no points), over the points `loaded` holds.
 */
export function rssBytesPerPoint(loaded: MemorySample, empty: MemorySample): number {
  return (loaded.memory.rssBytes - empty.memory.rssBytes) / (loaded.points - empty.points);
}
