import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultMigrationsFolder } from "./create-db";
import { embeddedMigrations } from "./embedded-migrations";

test("every migration on disk is embedded, byte for byte (the compiled binary migrates from these)", () => {
  const onDisk = readdirSync(defaultMigrationsFolder).filter((name) => name.endsWith(".sql"));
  const journal = JSON.parse(readFileSync(join(defaultMigrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  expect(journal.entries.map((entry) => `${entry.tag}.sql`).sort()).toEqual(onDisk.sort());
  for (const name of onDisk) expect(embeddedMigrations[name]).toBe(readFileSync(join(defaultMigrationsFolder, name), "utf8"));
  expect(JSON.parse(embeddedMigrations["meta/_journal.json"]!)).toEqual(journal);
});
