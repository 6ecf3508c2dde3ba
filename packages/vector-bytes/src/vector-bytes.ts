/**
 * Vectors cross node boundaries as little-endian float32 bytes (worker.proto). These two
 * functions convert without copying whenever the memory layout allows it. All supported
 * platforms (x64, arm64) are little-endian, so a Float32Array's memory is already the
 * wire format.
 */

/** True when Float32Array memory is little-endian, i.e. already the wire and storage format. */
export const platformIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of a vector, sharing its memory. */
export function float32ToBytes(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * A Float32Array over the bytes: shares their memory when the offset is 4-byte aligned,
 * copies otherwise (protobuf decoders may hand out unaligned sub-arrays).
 * Throws when the length is not a multiple of 4.
 */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new RangeError(`vector bytes: length ${bytes.byteLength} is not a multiple of 4`);
  }
  if (bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  return new Float32Array(bytes.slice().buffer);
}
