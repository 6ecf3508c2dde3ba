import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { bytesToFloat32, float32ToBytes } from "./vector-bytes";

describe("vector bytes", () => {
  test("round-trips any float32 vector bit for bit, aligned or not", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: false })), fc.integer({ min: 0, max: 7 }), (values, shift) => {
        const vector = Float32Array.from(values);
        const bytes = float32ToBytes(vector);
        const shifted = new Uint8Array(bytes.byteLength + shift);
        shifted.set(bytes, shift);
        const back = bytesToFloat32(shifted.subarray(shift));
        expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(bytes);
      }),
    );
  });

  test("shares memory when aligned", () => {
    const vector = new Float32Array([1, 2, 3]);
    const view = bytesToFloat32(float32ToBytes(vector));
    vector[0] = 42;
    expect(view[0]).toBe(42);
  });

  test("rejects a length that is not a multiple of 4", () => {
    expect(() => bytesToFloat32(new Uint8Array(6))).toThrow("not a multiple of 4");
  });
});
