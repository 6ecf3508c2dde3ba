/**
 * google.protobuf.Struct as @grpc/proto-loader represents it ({ fields: { k: { stringValue } } }),
 * converted from and to plain JSON, the way a gRPC user without generated helpers would.
 */
export function jsonToStruct(object: Record<string, unknown>): any {
  return { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, jsonToValue(v)])) };
}

function jsonToValue(value: unknown): any {
  if (value === null) return { nullValue: "NULL_VALUE" };
  if (typeof value === "number") return { numberValue: value };
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } };
  return { structValue: jsonToStruct(value as Record<string, unknown>) };
}

export function structToJson(struct: any): Record<string, unknown> {
  return Object.fromEntries(Object.entries(struct?.fields ?? {}).map(([k, v]) => [k, valueToJson(v)]));
}

function valueToJson(value: any): unknown {
  switch (value.kind) {
    case "nullValue":
      return null;
    case "numberValue":
      return value.numberValue;
    case "stringValue":
      return value.stringValue;
    case "boolValue":
      return value.boolValue;
    case "listValue":
      return (value.listValue.values ?? []).map(valueToJson);
    case "structValue":
      return structToJson(value.structValue);
    default:
      throw new Error(`unknown Value kind ${value.kind}`);
  }
}
