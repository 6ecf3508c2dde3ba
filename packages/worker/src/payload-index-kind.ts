import type { PayloadIndex } from "@vectron/proto/v1";
import { payloadIndexKindName } from "@vectron/enum-names";
import type { PayloadIndexInfo } from "@vectron/shard-store";
import { invalidArgument } from "@vectron/rpc-errors";

/** A payload index of the API as the shard store declares it. */
export function payloadIndexOf(field: string, index: PayloadIndex | undefined): PayloadIndexInfo {
  if (!index) throw invalidArgument(field, "is required");
  return { key: index.key, kind: payloadIndexKindName(index.kind, `${field}.kind`) };
}
