import type { PayloadIndexKind as KindColumn } from "@vectron/db";
import { PayloadIndexKind } from "@vectron/proto/v1";
import { invalidArgument } from "@vectron/rpc-errors";

const columns = new Map<PayloadIndexKind, KindColumn>([
  [PayloadIndexKind.KEYWORD, "keyword"],
  [PayloadIndexKind.INTEGER, "integer"],
  [PayloadIndexKind.FLOAT, "float"],
  [PayloadIndexKind.BOOL, "bool"],
]);
const kinds = new Map([...columns].map(([kind, column]) => [column, kind]));

/** The `payload_indexes.kind` text of a kind; invalid_argument for an unspecified one. */
export function kindToColumn(field: string, kind: PayloadIndexKind): KindColumn {
  const column = columns.get(kind);
  if (!column) throw invalidArgument(field, "must be KEYWORD, INTEGER, FLOAT or BOOL");
  return column;
}

export function kindFromColumn(column: KindColumn): PayloadIndexKind {
  const kind = kinds.get(column);
  if (kind === undefined) throw new RangeError(`unknown payload index kind ${JSON.stringify(column)}`);
  return kind;
}
