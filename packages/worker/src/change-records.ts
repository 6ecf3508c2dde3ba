import { create } from "@bufbuild/protobuf";
import { ChangeRecordSchema, type ChangeRecord } from "@vectron/proto/worker/v1";
import type { Change } from "@vectron/shard-store";
import { bytesToFloat32, float32ToBytes } from "@vectron/vector-bytes";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A change of the log as it travels in Replicate; the one place this conversion happens. */
export function toChangeRecord(change: Change): ChangeRecord {
  if (change.deleted) return create(ChangeRecordSchema, { seq: BigInt(change.seq), id: change.id, deleted: true });
  return create(ChangeRecordSchema, {
    seq: BigInt(change.seq),
    id: change.id,
    vector: float32ToBytes(change.vector),
    payload: utf8.encode(change.payload),
  });
}

/** A received change record as the store applies it. */
export function fromChangeRecord(record: ChangeRecord): Change {
  const seq = Number(record.seq);
  if (record.deleted) return { seq, id: record.id, deleted: true };
  return { seq, id: record.id, deleted: false, vector: bytesToFloat32(record.vector), payload: fromUtf8.decode(record.payload) };
}
