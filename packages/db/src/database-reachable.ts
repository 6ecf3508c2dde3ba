import { sql } from "drizzle-orm";
import type { Db } from "./create-db";
import { executeRows } from "./execute-rows";

/** Resolves once the database answers a trivial query (a readiness check); rejects with the driver's error. */
export async function pingDatabase(db: Db): Promise<void> {
  await executeRows(db, sql`select 1 as one`);
}
