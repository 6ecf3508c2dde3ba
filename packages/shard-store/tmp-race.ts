import { createIndex } from "./src/hnsw-index";
import { randomVector, seededRandom } from "./src/test-fixtures";
for (const seedFirst of [0, 1, 16, 100]) {
  let bad = 0, badBuilds = 0;
  for (let round = 0; round < 200; round++) {
    const random = seededRandom(round);
    const n = 300, d = 8;
    const vecs = new Float32Array(n * d);
    for (let i = 0; i < n; i++) vecs.set(randomVector(random, d), i * d);
    const idx = createIndex({ dimension: d, metric: "euclidean", connectivity: 16, expansionAdd: 128, expansionSearch: 64 });
    const keys = BigUint64Array.from({ length: n }, (_, i) => BigInt(i + 1));
    if (seedFirst) idx.add(keys.subarray(0, seedFirst), vecs.subarray(0, seedFirst * d), 1);
    idx.add(keys.subarray(seedFirst), vecs.subarray(seedFirst * d), 0);
    let miss = 0;
    for (let i = 0; i < n; i++) {
      const r = idx.search(vecs.subarray(i * d, (i + 1) * d), 1, 1);
      if (r.keys[0] !== BigInt(i + 1)) miss++;
    }
    bad += miss; if (miss) badBuilds++;
  }
  console.log("single-threaded first", seedFirst, "misses", bad, "bad builds", badBuilds, "of 200");
}
