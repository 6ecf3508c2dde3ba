import type { SQLWrapper } from "drizzle-orm";
import type { Db } from "./create-db";

/**
 * Runs raw SQL and returns its rows on either driver: `db.execute` gives postgres-js's
 * row array but PGlite's `{ rows }` object, and is typed `unknown` on the shared Db type.
 * Prefer the query builder; this is for what it cannot say (EXPLAIN, advisory locks).
 */
export async function executeRows<T extends Record<string, unknown>>(db: Pick<Db, "execute">, query: SQLWrapper): Promise<T[]> {
  const result: unknown = await db.execute<T>(query);
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (Array.isArray(rows)) return rows as T[];
  throw new TypeError("executeRows: the driver returned neither rows nor { rows }");
}
