import { rm, open } from "node:fs/promises";
import { create, type MessageShape } from "@bufbuild/protobuf";
import { SnapshotShardResponseSchema } from "@vectron/proto/worker/v1";
import type { ShardCopy } from "./shard-copy";

/** Bytes per SnapshotShard message: well under every transport's message limit. */
export const SHARD_COPY_CHUNK_BYTES = 1 << 20;

/**
 * Streams a shard copy file as SnapshotShard messages, `chunkBytes` at a time, and
 * deletes the file once done, whether the stream ended, failed or was abandoned by its
 * reader. An empty file still yields one message, so the reader learns the copy's size.
 */
export async function* streamShardCopy(
  copy: ShardCopy,
  chunkBytes = SHARD_COPY_CHUNK_BYTES,
): AsyncGenerator<MessageShape<typeof SnapshotShardResponseSchema>> {
  const described = { totalBytes: BigInt(copy.bytes), lastSeq: BigInt(copy.lastSeq), pointCount: BigInt(copy.count) };
  const file = await open(copy.path, "r").catch(async (err) => {
    await rm(copy.path, { force: true });
    throw err;
  });
  try {
    let offset = 0;
    do {
      const data = new Uint8Array(Math.min(chunkBytes, copy.bytes - offset));
      const { bytesRead } = await file.read(data, 0, data.length, offset);
      if (bytesRead !== data.length) throw new Error(`shard copy ${copy.path}: read ${bytesRead} bytes at ${offset}, expected ${data.length}`);
      offset += bytesRead;
      yield create(SnapshotShardResponseSchema, { data, ...described });
    } while (offset < copy.bytes);
  } finally {
    await file.close();
    await rm(copy.path, { force: true });
  }
}
