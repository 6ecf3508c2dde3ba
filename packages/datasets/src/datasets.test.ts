import { expect, test } from "bun:test";
import { exactScore, exactTopK, loadMnist, loadSift, recall } from "./index";

test("SIFT: 4,500 base rows and 500 queries of 128 integer features", async () => {
  const sift = await loadSift();
  expect(sift.base).toHaveLength(4500);
  expect(sift.queries).toHaveLength(500);
  expect(sift.baseIds[0]).toBe("100001");
  expect(sift.base[0]![8]).toBe(13);
  expect(new Set(sift.baseIds).size).toBe(4500);
});

test("MNIST: 10,000 labelled 784-pixel images", async () => {
  const mnist = await loadMnist();
  expect(mnist.images).toHaveLength(10_000);
  expect(mnist.images[0]).toHaveLength(784);
  expect(mnist.labels.slice(0, 5)).toEqual([7, 2, 1, 0, 4]);
});

test("exact scores and top-k", () => {
  const a = new Float32Array([1, 0]);
  const b = new Float32Array([0, 2]);
  expect(exactScore("euclidean", a, b)).toBeCloseTo(Math.sqrt(5));
  expect(exactScore("dot", a, b)).toBe(0);
  expect(exactScore("cosine", a, new Float32Array([3, 0]))).toBeCloseTo(1);
  const base = [new Float32Array([0, 0]), new Float32Array([5, 5]), new Float32Array([1, 1])];
  expect(exactTopK("euclidean", base, new Float32Array([0.9, 0.9]), 2)).toEqual([2, 0]);
  expect(recall(["a", "x"], ["a", "b"])).toBe(0.5);
});
