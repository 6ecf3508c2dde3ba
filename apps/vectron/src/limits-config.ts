import { defaultLimits, type Limits } from "@vectron/api";
import { toInt } from "./integer-setting";

/**
 * The public API's limits, each from its environment variable or the default. The
 * ceilings keep a misconfiguration from disabling a limit altogether; the README's
 * "Limits" table lists the same names, defaults and ceilings.
 */
export const limitSettings: Record<keyof Limits, { env: string; max: number }> = {
  maxDimension: { env: "VECTRON_MAX_DIMENSION", max: 65_536 },
  maxBatchPoints: { env: "VECTRON_MAX_BATCH_POINTS", max: 1_000_000 },
  maxPayloadBytes: { env: "VECTRON_MAX_PAYLOAD_BYTES", max: 16 << 20 },
  maxIdBytes: { env: "VECTRON_MAX_ID_BYTES", max: 4096 },
  maxTopK: { env: "VECTRON_MAX_TOP_K", max: 100_000 },
  maxEf: { env: "VECTRON_MAX_EF", max: 100_000 },
  maxBatchQueries: { env: "VECTRON_MAX_BATCH_QUERIES", max: 100_000 },
  maxBatchResults: { env: "VECTRON_MAX_BATCH_RESULTS", max: 10_000_000 },
  maxScrollLimit: { env: "VECTRON_MAX_SCROLL_LIMIT", max: 100_000 },
  maxShardCount: { env: "VECTRON_MAX_SHARDS", max: 1024 },
  maxReplicationFactor: { env: "VECTRON_MAX_REPLICATION_FACTOR", max: 64 },
};

export function readLimits(env: Record<string, string | undefined>): Limits {
  const limits = { ...defaultLimits };
  for (const [field, { env: name, max }] of Object.entries(limitSettings) as [keyof Limits, { env: string; max: number }][]) {
    const text = env[name];
    if (text !== undefined && text !== "") limits[field] = toInt(name, text, 1, max);
  }
  return limits;
}
