/**
 * Vectors are stored as little-endian float32 BLOBs. Every supported platform (x64,
 * arm64) is little-endian, so a Float32Array's memory already is the stored format and
 * no per-element conversion is needed either way. (Same contract as
 * @vectron/vector-bytes; kept local so this package has no workspace dependency.)
 */

/** True when Float32Array memory is little-endian, i.e. equal to the blob format. */
export const platformIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The vector's bytes, sharing its memory (bun:sqlite copies them when binding). */
export function vectorToBlob(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * A Float32Array over a blob read from SQLite. bun:sqlite hands out each blob in its own
 * ArrayBuffer at offset 0, so this normally shares memory; a misaligned view is copied.
 */
export function blobToVector(blob: Uint8Array): Float32Array {
  if (blob.byteLength % 4 !== 0) {
    throw new RangeError(`vector blob: length ${blob.byteLength} is not a multiple of 4`);
  }
  if (blob.byteOffset % 4 === 0) {
    return new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
  }
  return new Float32Array(blob.slice().buffer);
}
