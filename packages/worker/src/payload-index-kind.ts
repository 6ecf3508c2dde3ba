import { PayloadIndexKind } from "@vectron/proto/v1";
import type { PayloadIndex } from "@vectron/proto/v1";
import type { PayloadIndexInfo, PayloadIndexKind as StoreKind } from "@vectron/shard-store";
import { invalidArgument } from "@vectron/rpc-errors";

const kinds = new Map<PayloadIndexKind, StoreKind>([
  [PayloadIndexKind.KEYWORD, "keyword"],
  [PayloadIndexKind.INTEGER, "integer"],
  [PayloadIndexKind.FLOAT, "float"],
  [PayloadIndexKind.BOOL, "bool"],
]);

/** A payload index of the API as the shard store declares it. */
export function payloadIndexOf(field: string, index: PayloadIndex | undefined): PayloadIndexInfo {
  if (!index) throw invalidArgument(field, "is required");
  const kind = kinds.get(index.kind);
  if (!kind) throw invalidArgument(`${field}.kind`, "must be KEYWORD, INTEGER, FLOAT or BOOL");
  return { key: index.key, kind };
}
