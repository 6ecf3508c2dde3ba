import { describe, expect, test } from "bun:test";
import { pointSlicesOf, slicesOf } from "./request-batches";

const point = (id: number, dimension: number) => ({ id: `p${id}`, vector: new Float32Array(dimension) });

describe("request batches", () => {
  test("slicesOf: consecutive slices of at most n, none for nothing", () => {
    expect(slicesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(slicesOf([], 3)).toEqual([]);
  });

  test("pointSlicesOf splits at maxPoints, keeping every point once and in order", () => {
    const points = Array.from({ length: 25 }, (_, i) => point(i, 2));
    const slices = pointSlicesOf(points, 10, Number.MAX_SAFE_INTEGER, "binary");
    expect(slices.map((s) => s.length)).toEqual([10, 10, 5]);
    expect(slices.flat()).toEqual(points);
  });

  test("pointSlicesOf splits at the estimated bytes, JSON estimated larger than binary", () => {
    // 1,000 floats: a bit over 4,000 bytes in binary, over 24,000 in JSON.
    const points = Array.from({ length: 10 }, (_, i) => point(i, 1000));
    expect(pointSlicesOf(points, 100, 10_000, "binary").map((s) => s.length)).toEqual([2, 2, 2, 2, 2]);
    expect(pointSlicesOf(points, 100, 50_000, "json").map((s) => s.length)).toEqual([2, 2, 2, 2, 2]);
    // A point larger than the limit alone still goes, in a request of its own.
    expect(pointSlicesOf(points.slice(0, 2), 100, 100, "binary").map((s) => s.length)).toEqual([1, 1]);
  });
});
