import { readFileSync } from "node:fs";

/** A process's memory as Linux reports it in /proc/<pid>/status, in bytes. */
export interface ProcessMemory {
  /** VmRSS: resident now. */
  rssBytes: number;
  /** VmHWM: the highest resident size so far (the peak). */
  peakRssBytes: number;
}

/** Reads VmRSS and VmHWM of `pid` ("self" for this process); Linux only. */
export function readProcessMemory(pid: number | "self"): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m"));
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kib("VmRSS"), peakRssBytes: kib("VmHWM") };
}
