export { datasetsDir } from "./datasets-dir";
export { loadSift, siftPayload, SIFT_DIMENSION, type SiftSet } from "./sift";
export { loadMnist, MNIST_DIMENSION, type MnistSet } from "./mnist";
export { exactScore, exactTopK, recall, type Measure } from "./ground-truth";
export { seededRandom } from "./seeded-random";
