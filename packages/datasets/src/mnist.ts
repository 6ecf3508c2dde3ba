import { join } from "node:path";
import { datasetsDir } from "./datasets-dir";

export interface MnistSet {
  /** 10,000 images of 28×28 pixels as 784 floats in 0..255. */
  images: Float32Array[];
  /** The digit of each image. */
  labels: number[];
}

export const MNIST_DIMENSION = 784;

/** Reads the MNIST test images and labels (gzipped IDX files). */
export async function loadMnist(): Promise<MnistSet> {
  const dir = datasetsDir();
  const images = Bun.gunzipSync(await Bun.file(join(dir, "mnist-t10k-images-idx3-ubyte.gz")).bytes());
  const labels = Bun.gunzipSync(await Bun.file(join(dir, "mnist-t10k-labels-idx1-ubyte.gz")).bytes());
  const imageView = new DataView(images.buffer, images.byteOffset, images.byteLength);
  const labelView = new DataView(labels.buffer, labels.byteOffset, labels.byteLength);
  if (imageView.getUint32(0) !== 0x803 || labelView.getUint32(0) !== 0x801) throw new Error("MNIST: bad IDX magic");
  const count = imageView.getUint32(4);
  const size = imageView.getUint32(8) * imageView.getUint32(12);
  if (size !== MNIST_DIMENSION || labelView.getUint32(4) !== count) throw new Error("MNIST: unexpected shape");
  return {
    images: Array.from({ length: count }, (_, i) => Float32Array.from(images.subarray(16 + i * size, 16 + (i + 1) * size))),
    labels: Array.from(labels.subarray(8, 8 + count)),
  };
}
