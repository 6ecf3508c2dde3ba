/**
 * Bounds on a filter, checked by checkFilter. They keep one request's cost on a shard
 * bounded: every condition is evaluated per candidate point, in JS or in SQLite.
 *
 * The two size bounds come from the environment (VECTRON_MAX_FILTER_CONDITIONS,
 * VECTRON_MAX_FILTER_ANY_VALUES), read here rather than passed in because API nodes and
 * workers (and their shard threads, which share the process environment) must apply the
 * same bounds: set them alike on every node. The key bounds are fixed: payload index
 * keys are stored, so they are part of the data format.
 */
export interface FilterLimits {
  /** Conditions in must, should and mustNot together. */
  conditions: number;
  /** Values in one `match.any`. */
  anyValues: number;
  /** Characters (Unicode code points) in a key, dots included. */
  keyLength: number;
  /** Dot-separated segments in a key. */
  keySegments: number;
}

const configurable = {
  conditions: { env: "VECTRON_MAX_FILTER_CONDITIONS", fallback: 64, max: 10_000 },
  anyValues: { env: "VECTRON_MAX_FILTER_ANY_VALUES", fallback: 1024, max: 1_000_000 },
} as const;

/** The limits an environment asks for; throws naming the variable for a value out of range. */
export function filterLimitsFrom(env: Record<string, string | undefined>): FilterLimits {
  const read = ({ env: name, fallback, max }: { env: string; fallback: number; max: number }) => {
    const text = env[name];
    if (text === undefined || text === "") return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(`${name}: expected an integer between 1 and ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  return {
    conditions: read(configurable.conditions),
    anyValues: read(configurable.anyValues),
    keyLength: 256,
    keySegments: 16,
  };
}

export const filterLimits: Readonly<FilterLimits> = Object.freeze(filterLimitsFrom(process.env));
