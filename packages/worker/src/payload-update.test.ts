import { expect, test } from "bun:test";
import { updatedPoints } from "./payload-update";

const vector = new Float32Array([1, 2]);
const points = [{ id: "a", vector, payload: '{"x":1,"y":{"z":2},"keep":true}' }];

test("merge sets keys and keeps the rest; overwrite replaces; delete-keys removes top-level keys", () => {
  expect(JSON.parse(updatedPoints(points, { mode: "merge", payload: { x: 5, n: [1] }, maxBytes: 0 })[0]!.payload)).toEqual({ x: 5, y: { z: 2 }, keep: true, n: [1] });
  expect(JSON.parse(updatedPoints(points, { mode: "overwrite", payload: { only: 1 }, maxBytes: 0 })[0]!.payload)).toEqual({ only: 1 });
  expect(JSON.parse(updatedPoints(points, { mode: "delete-keys", keys: ["x", "y", "absent"], maxBytes: 0 })[0]!.payload)).toEqual({ keep: true });
  expect(updatedPoints(points, { mode: "merge", payload: {}, maxBytes: 0 })[0]!.vector).toBe(vector);
});

test("a payload that would grow past the limit is refused, naming the point", () => {
  expect(() => updatedPoints(points, { mode: "merge", payload: { big: "x".repeat(100) }, maxBytes: 64 })).toThrow(/point "a".*limit is 64/);
  expect(updatedPoints(points, { mode: "merge", payload: { n: 1 }, maxBytes: 64 })).toHaveLength(1);
});
