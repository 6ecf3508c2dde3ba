import type { PrometheusText } from "./prometheus-text";

/** This process's memory (resident set, JavaScript heap) and uptime. */
export function writeProcessMetrics(text: PrometheusText): void {
  const memory = process.memoryUsage();
  text.gauge("vectron_process_resident_memory_bytes", "Resident set size of this process.", [[{}, memory.rss]]);
  text.gauge("vectron_process_heap_used_bytes", "JavaScript heap in use.", [[{}, memory.heapUsed]]);
  text.gauge("vectron_process_heap_total_bytes", "JavaScript heap reserved.", [[{}, memory.heapTotal]]);
  text.gauge("vectron_process_external_memory_bytes", "Memory of objects outside the JavaScript heap that it tracks (buffers).", [[{}, memory.external]]);
  text.gauge("vectron_process_uptime_seconds", "Seconds since this process started.", [[{}, process.uptime()]]);
}
