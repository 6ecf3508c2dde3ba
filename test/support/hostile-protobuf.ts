import fc from "fast-check";

/*
 * Protobuf binary that no generated encoder writes: random fields of any wire type,
 * strings that are not UTF-8, lengths past the end, Struct payloads nested far beyond
 * what JSON decoding allows, and byte-level damage to valid encodings.
 */

const WIRE = { varint: 0, fixed64: 1, len: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

function varint(value: number): number[] {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return bytes;
}

function tag(field: number, wire: number): number[] {
  return varint(field * 8 + wire);
}

function lengthDelimited(field: number, content: Uint8Array | number[]): number[] {
  return [...tag(field, WIRE.len), ...varint(content.length), ...content];
}

/** A well-framed field with this number, wire type and content. */
function field(number: number, wire: number, content: Uint8Array): number[] {
  switch (wire) {
    case WIRE.varint:
      return [...tag(number, wire), ...varint(content.reduce((n, b) => (n * 7 + b) % 2 ** 40, 0))];
    case WIRE.fixed64:
      return [...tag(number, wire), ...Array.from({ length: 8 }, (_, i) => content[i] ?? 0)];
    case WIRE.fixed32:
      return [...tag(number, wire), ...Array.from({ length: 4 }, (_, i) => content[i] ?? 0)];
    case WIRE.len:
      return lengthDelimited(number, content);
    default:
      return tag(number, wire);
  }
}

/** Any sequence of well-framed fields (numbers 1-12, any wire type, any content). */
export const protobufNoise: fc.Arbitrary<Uint8Array> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 24 })), { maxLength: 6 })
  .map((fields) => Uint8Array.from(fields.flatMap(([n, w, c]) => field(n, w, c))));

/**
 * An UpsertRequest for `collection` with one point whose payload is a Struct nested
 * `depth` levels deep ({"a":{"a":...}}), written iteratively (an encoder would recurse).
 */
export function deepPayloadUpsert(collection: string, vector: number[], depth: number): Uint8Array {
  const utf8 = new TextEncoder();
  // Value{number_value: 1}
  let value: number[] = [...tag(2, WIRE.fixed64), ...new Uint8Array(new Float64Array([1]).buffer)];
  let struct: number[] = [];
  for (let i = 0; i < depth; i++) {
    struct = lengthDelimited(1, [...lengthDelimited(1, utf8.encode("a")), ...lengthDelimited(2, value)]);
    value = lengthDelimited(5, struct); // Value.struct_value
  }
  const floats = new Uint8Array(new Float32Array(vector).buffer);
  const point = [...lengthDelimited(1, utf8.encode("deep")), ...lengthDelimited(2, floats), ...lengthDelimited(3, struct)];
  return Uint8Array.from([...lengthDelimited(1, utf8.encode(collection)), ...lengthDelimited(2, point)]);
}

/** Field 1 (every request's collection or name, or email) holding bytes that are not UTF-8. */
export const invalidUtf8InFieldOne: Uint8Array = Uint8Array.from(lengthDelimited(1, [0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]));

/** Field 2 declaring a length far past the end of the message. */
export const lengthPastTheEnd: Uint8Array = Uint8Array.from([...tag(2, WIRE.len), ...varint(2 ** 31), 1, 2, 3]);

/** Damage to a valid encoding: none (mostly), truncation, a changed byte, bytes appended, an unknown field. */
export type ByteMutation = (bytes: Uint8Array) => Uint8Array;

export const byteMutations: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 10, arbitrary: fc.constant((bytes: Uint8Array) => bytes) },
  { weight: 1, arbitrary: fc.nat().map((cut) => (bytes: Uint8Array) => bytes.subarray(0, cut % Math.max(1, bytes.length))) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => (bytes: Uint8Array) => {
      const copy = Uint8Array.from(bytes);
      if (copy.length) copy[at % copy.length] = value;
      return copy;
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((extra) => (bytes: Uint8Array) => Uint8Array.from([...bytes, ...extra])) },
  { weight: 1, arbitrary: protobufNoise.map((noise) => (bytes: Uint8Array) => Uint8Array.from([...bytes, ...noise])) },
  { weight: 1, arbitrary: fc.constant((bytes: Uint8Array) => Uint8Array.from([...bytes, ...invalidUtf8InFieldOne])) },
);
