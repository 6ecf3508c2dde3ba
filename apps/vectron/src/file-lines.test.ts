import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { readFileLines } from "./file-lines";

describe("readFileLines", () => {
  const path = join(tmpdir(), `vectron-file-lines-${process.pid}.txt`);
  afterAll(() => rmSync(path, { force: true }));

  async function linesOf(start?: { offset: number; linesBefore: number }) {
    const lines = [];
    for await (const line of readFileLines(path, start)) lines.push(line);
    return lines;
  }

  test("byte offsets past each line (multi-byte characters, CRLF, no final newline) resume exactly", async () => {
    writeFileSync(path, "é✓\r\nsecond\n\nlast");
    const lines = await linesOf();
    expect(lines).toEqual([
      { text: "é✓", number: 1, endOffset: 7 },
      { text: "second", number: 2, endOffset: 14 },
      { text: "", number: 3, endOffset: 15 },
      { text: "last", number: 4, endOffset: 19 },
    ]);
    expect(await linesOf({ offset: 7, linesBefore: 1 })).toEqual(lines.slice(1));
    expect(await linesOf({ offset: 19, linesBefore: 4 })).toEqual([]);
  });

  test("lines longer than a read chunk come out whole", async () => {
    const long = "x".repeat(3 << 20);
    writeFileSync(path, `${long}\nshort\n`);
    const lines = await linesOf();
    expect(lines.map((line) => line.text.length)).toEqual([long.length, 5]);
    expect(lines[1]!.endOffset).toBe(long.length + 7);
  });
});
