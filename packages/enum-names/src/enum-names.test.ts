import { expect, test } from "bun:test";
import { Distance, PayloadIndexKind } from "@vectron/proto/v1";
import { distanceFromName, distanceName, payloadIndexKindFromName, payloadIndexKindName } from "./enum-names";

test("every distance and payload index kind round-trips through its name", () => {
  for (const distance of [Distance.COSINE, Distance.EUCLIDEAN, Distance.DOT]) {
    expect(distanceFromName(distanceName(distance))).toBe(distance);
  }
  for (const kind of [PayloadIndexKind.KEYWORD, PayloadIndexKind.INTEGER, PayloadIndexKind.FLOAT, PayloadIndexKind.BOOL]) {
    expect(payloadIndexKindFromName(payloadIndexKindName(kind, "kind"))).toBe(kind);
  }
  expect(distanceName(Distance.DOT)).toBe("dot");
  expect(payloadIndexKindName(PayloadIndexKind.BOOL, "kind")).toBe("bool");
});

test("unspecified values are the client's error, unknown names a bug", () => {
  expect(() => distanceName(Distance.UNSPECIFIED)).toThrow(expect.objectContaining({ code: "invalid_argument", message: expect.stringContaining("distance:") }));
  expect(() => payloadIndexKindName(PayloadIndexKind.UNSPECIFIED, "index.kind")).toThrow(expect.objectContaining({ code: "invalid_argument", message: expect.stringContaining("index.kind:") }));
  expect(() => distanceFromName("manhattan")).toThrow(RangeError);
  expect(() => payloadIndexKindFromName("text")).toThrow(RangeError);
});
