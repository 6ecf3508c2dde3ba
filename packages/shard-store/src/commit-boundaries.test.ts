import { afterEach, expect, test } from "bun:test";
import { CommitBoundaries } from "./commit-boundaries";
import { openShardStore, type PointInput } from "./index";
import { makeTempDir } from "./test-fixtures";

/** The ring of recent commit ends, and what a store records in it (where replication pages may be cut). */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const point = (id: string, x: number): PointInput => ({ id, vector: new Float32Array([x, 1]), payload: "{}" });

test("highestIn finds the highest end in a closed range, against a brute-force scan, across wrap-arounds", () => {
  const ring = new CommitBoundaries(5);
  const recorded: number[] = [];
  let seq = 0;
  for (let commit = 0; commit < 23; commit++) {
    seq += 1 + (commit % 4);
    ring.record(seq);
    recorded.push(seq);
    const remembered = recorded.slice(-5);
    for (let from = 0; from <= seq + 1; from++) {
      for (let to = from; to <= seq + 1; to++) {
        const expected = remembered.filter((end) => end >= from && end <= to).at(-1);
        expect(ring.highestIn(from, to)).toBe(expected);
      }
    }
  }
});

test("an end not past the last one is ignored; clear forgets every end", () => {
  const ring = new CommitBoundaries(4);
  ring.record(3);
  ring.record(3);
  ring.record(2);
  ring.record(7);
  expect(ring.highestIn(0, 6)).toBe(3);
  expect(ring.highestIn(4, 6)).toBeUndefined();
  ring.clear();
  expect(ring.highestIn(0, 100)).toBeUndefined();
  ring.record(1);
  expect(ring.highestIn(0, 100)).toBe(1);
  expect(() => new CommitBoundaries(0)).toThrow(RangeError);
});

test("a store knows the ends of its own commits since it opened, not of applied changes nor from before a reopen", () => {
  const temp = makeTempDir();
  cleanups.push(temp.cleanup);
  let store = openShardStore({ dir: temp.dir, dimension: 2, metric: "dot" });
  expect(store.apply([point("a", 1), point("b", 2), point("c", 3)], []).lastSeq).toBe(3);
  // A delete of a missing id writes nothing: no new end.
  expect(store.apply([], ["missing"]).lastSeq).toBe(3);
  expect(store.apply([point("a", 4)], ["b"]).lastSeq).toBe(5);
  expect(store.lastCommitEndIn(1, 2)).toBeUndefined();
  expect(store.lastCommitEndIn(1, 4)).toBe(3);
  expect(store.lastCommitEndIn(4, 9)).toBe(5);
  // Another replica's page ends where that page was cut, not necessarily at a commit.
  store.applyChanges([{ seq: 7, id: "d", deleted: false, vector: new Float32Array([1, 1]), payload: "{}" }], 8);
  expect(store.lastCommitEndIn(6, 8)).toBeUndefined();
  store.close();

  store = openShardStore({ dir: temp.dir, dimension: 2, metric: "dot" });
  expect(store.lastCommitEndIn(0, 8)).toBeUndefined();
  expect(store.apply([point("e", 1)], []).lastSeq).toBe(9);
  expect(store.lastCommitEndIn(0, 9)).toBe(9);
  // Emptied, its sequences start again: the old ends would be wrong.
  store.clear();
  expect(store.lastCommitEndIn(0, 9)).toBeUndefined();
  store.close();
});
