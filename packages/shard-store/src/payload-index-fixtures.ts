/**
 * Shared by the payload index tests only (not exported): the entries payload_values
 * should hold, derived in JavaScript from the rules in payload-index-kinds.ts, and the
 * entries it does hold, read from the shard's SQLite file. Not a test file itself.
 */
import { Database } from "bun:sqlite";
import { join } from "node:path";
import type { PayloadIndexInfo } from "./types";

/**
 * One entry as text: `key <tab> storage class <tab> value <tab> point id`. Numbers are
 * written as JS writes their double (-0 as 0: SQLite's key holds one of 0 and -0).
 */
function entry(key: string, storage: string, value: string | number, id: string): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value === 0 ? 0 : value);
  return `${key}\t${storage}\t${text}\t${id}`;
}

/** The value at a dotted key, through own properties of objects only (as matchesPayload). */
function valueAt(payload: unknown, key: string): unknown {
  let value = payload;
  for (const segment of key.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** What one index keeps of one scalar, or undefined when it is of another type. */
function kept(kind: PayloadIndexInfo["kind"], value: unknown): { storage: string; value: string | number } | undefined {
  switch (kind) {
    case "keyword":
      return typeof value === "string" ? { storage: "text", value } : undefined;
    case "bool":
      return typeof value === "boolean" ? { storage: "integer", value: Number(value) } : undefined;
    case "float":
      return typeof value === "number" ? { storage: "real", value } : undefined;
    case "integer":
      if (typeof value !== "number") return undefined;
      return { storage: Number.isInteger(value) && Math.abs(value) <= 2 ** 53 ? "integer" : "real", value };
  }
}

/** The entries the indexes should hold for these live points (id → payload JSON text), sorted. */
export function modelEntries(live: Iterable<[string, string]>, indexes: PayloadIndexInfo[]): string[] {
  const entries = new Set<string>();
  for (const [id, text] of live) {
    const payload: unknown = JSON.parse(text);
    for (const { key, kind } of indexes) {
      const found = valueAt(payload, key);
      for (const element of Array.isArray(found) ? found : [found]) {
        const value = kept(kind, element);
        if (value) entries.add(entry(key, value.storage, value.value, id));
      }
    }
  }
  return [...entries].sort();
}

/** The entries payload_values holds, read from the store's file (a second connection; WAL lets it read while the store is open). */
export function storedEntries(dir: string): string[] {
  const db = new Database(join(dir, "shard.sqlite"), { readonly: true });
  try {
    const rows = db
      .query<{ key: string; storage: string; value: string | number; id: string | null }, []>(
        `SELECT i.key, typeof(v.value) AS storage, v.value, p.id
         FROM payload_values AS v JOIN payload_indexes AS i ON i.id = v.index_id LEFT JOIN points AS p ON p.seq = v.seq AND p.vector IS NOT NULL`,
      )
      .all();
    // A NULL id (an entry of no live row) would be a bug; it shows as "<dead>".
    return rows.map((row) => entry(row.key, row.storage, row.value, row.id ?? "<dead>")).sort();
  } finally {
    db.close();
  }
}
