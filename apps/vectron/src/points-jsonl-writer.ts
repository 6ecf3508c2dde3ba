import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Filter, VectronClient } from "@vectron/client";
import { fsyncPath } from "@vectron/durable-file";

export interface PointsJsonlOptions {
  withVectors: boolean;
  filter?: Filter;
  /** Called after each page written, with the points written so far. */
  onPoints?: (points: number) => void;
}

/** What was written: the number of points, and the bytes with their SHA-256 (hex). */
export interface WrittenPoints {
  points: number;
  bytes: number;
  sha256: string;
}

const PAGE_SIZE = 1000;
const FLUSH_BYTES = 1 << 20;

/**
 * Scrolls a collection (every point, or those matching `filter`, in id order) into
 * JSONL lines `{"id","vector","payload"}`: what `vectron import` reads. Writes to
 * `path` (created or truncated, and fsynced when done) or to standard output.
 */
export async function writePointsJsonl(client: VectronClient, collection: string, path: string | "-", options: PointsJsonlOptions): Promise<WrittenPoints> {
  const stream: Writable = path === "-" ? process.stdout : createWriteStream(path);
  const hash = createHash("sha256");
  let points = 0;
  let bytes = 0;
  let buffered = "";
  const flush = async () => {
    if (buffered === "") return;
    const chunk = Buffer.from(buffered, "utf8");
    buffered = "";
    hash.update(chunk);
    bytes += chunk.length;
    if (!stream.write(chunk)) await once(stream, "drain");
  };
  for await (const point of client.scroll(collection, { pageSize: PAGE_SIZE, withVector: options.withVectors, withPayload: true, filter: options.filter })) {
    const line: Record<string, unknown> = { id: point.id };
    if (options.withVectors) line.vector = point.vector ?? [];
    if (point.payload && Object.keys(point.payload).length > 0) line.payload = point.payload;
    buffered += `${JSON.stringify(line)}\n`;
    points += 1;
    if (buffered.length >= FLUSH_BYTES) await flush();
    if (points % PAGE_SIZE === 0) options.onPoints?.(points);
  }
  await flush();
  if (path !== "-") {
    stream.end();
    await once(stream, "finish");
    fsyncPath(path);
  }
  options.onPoints?.(points);
  return { points, bytes, sha256: hash.digest("hex") };
}
