import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomically } from "./durable-file";

test("replaces the whole file, keeps the mode asked for and leaves no temporary file", () => {
  const dir = mkdtempSync(join(tmpdir(), "durable-file-"));
  try {
    const path = join(dir, "spec.json");
    writeFileSync(path, "old content that is longer than the new one");
    writeFileAtomically(path, "new", 0o600);
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${path}.tmp`)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
