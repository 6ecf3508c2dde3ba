import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { apiKeys, collections, createDb, users, type Db } from "@vectron/db";
import { createTestDatabase, type TestDatabase } from "@vectron/db/test-database";
import { runUsersCommand } from "./users-command";

async function addUser(db: Db, email: string, withCollections = 0): Promise<string> {
  const [row] = await db.insert(users).values({ email, passwordHash: "x" }).returning();
  for (let i = 0; i < withCollections; i++) {
    await db.insert(collections).values({ ownerId: row!.id, name: `c${i}`, dimension: 2, distance: "cosine", shardCount: 1, replicationFactor: 1 });
  }
  await db.insert(apiKeys).values({ id: `k${row!.id.slice(0, 8)}`, userId: row!.id, name: "k", prefix: "p", digest: new Uint8Array(32) });
  return row!.id;
}

async function run(args: string[], env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runUsersCommand(args, env, (line) => lines.push(line));
  return { code, lines };
}

describe("vectron users on a cluster's Postgres (the nodes keep running)", () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    database = await createTestDatabase();
    env = { VECTRON_DATABASE_URL: database.url };
  });
  afterAll(() => database?.drop());

  test("set-plan moves a user between plans by email, in any case; ls shows plans and counts", async () => {
    const handle = await createDb({ url: database.url });
    try {
      const id = await addUser(handle.db, "alice@example.com", 2);
      await addUser(handle.db, "bob@example.com");
      expect((await run(["set-plan", "Alice@Example.COM", "paid"], env)).lines).toEqual([
        "alice@example.com: plan free -> paid (running API nodes apply it within 5 s)",
      ]);
      const [row] = await handle.db.select({ plan: users.plan }).from(users).where(eq(users.id, id));
      expect(row!.plan).toBe("paid");

      const listed = await run(["ls"], env);
      expect(listed.code).toBe(0);
      expect(listed.lines[0]).toMatch(/^email\s+plan\s+collections\s+api keys\s+created$/);
      expect(listed.lines[1]).toMatch(/^alice@example\.com\s+paid\s+2\s+1\s+\d{4}-/);
      expect(listed.lines[2]).toMatch(/^bob@example\.com\s+free\s+0\s+1\s+\d{4}-/);

      await run(["set-plan", "alice@example.com", "FREE"], env);
      const [back] = await handle.db.select({ plan: users.plan }).from(users).where(eq(users.id, id));
      expect(back!.plan).toBe("free");
    } finally {
      await handle.close();
    }
  });

  test("an unknown user, an unknown plan and missing operands are refused, naming what is wrong", async () => {
    await expect(run(["set-plan", "nobody@example.com", "paid"], env)).rejects.toThrow(/no user with email nobody@example.com/);
    await expect(run(["set-plan", "alice@example.com", "gold"], env)).rejects.toThrow(/unknown plan "gold"; plans are free, paid/);
    await expect(run(["set-plan", "alice@example.com"], env)).rejects.toThrow(/give the user's email and the plan/);
    await expect(run(["promote"], env)).rejects.toThrow(/unknown command/);
  });
});

describe("vectron users on a single node's embedded database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "vectron-users-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test("refused while a process has the database open, works once it is closed", async () => {
    await expect(run(["ls", "--data-dir", dataDir], {})).rejects.toThrow(/no embedded database/);
    // The node: the same embedded database, open in this process.
    const node = await createDb({ pgliteDir: join(dataDir, "pglite") });
    await addUser(node.db, "carol@example.com");
    await expect(run(["set-plan", "carol@example.com", "paid", "--data-dir", dataDir], {})).rejects.toThrow(/in use: stop vectron serve/);
    await node.close();

    expect((await run(["set-plan", "carol@example.com", "paid", "--data-dir", dataDir], {})).code).toBe(0);
    expect((await run(["ls"], { VECTRON_DATA_DIR: dataDir })).lines[1]).toMatch(/^carol@example\.com\s+paid\s/);
  });
});
