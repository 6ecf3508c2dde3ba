import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createConcurrencyLimit } from "./concurrency-limit";

class Refused extends Error {}

describe("concurrency limit", () => {
  test("never more than maxConcurrent at once; waiters start first come, first served; beyond the queue, refused at once", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        // Each step: start a task, or finish one of the running tasks (by index).
        fc.array(fc.oneof(fc.constant("start" as const), fc.nat(8)), { maxLength: 60 }),
        async (maxConcurrent, maxQueued, steps) => {
          const limit = createConcurrencyLimit({ maxConcurrent, maxQueued, rejection: () => new Refused() });
          let running: Array<{ id: number; finish: () => void }> = [];
          const started: number[] = [];
          const outcomes: Array<Promise<"done" | "refused">> = [];
          let waiting = 0; // the model's queue length
          let nextId = 0;
          let peak = 0;
          const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
          for (const step of steps) {
            if (step === "start") {
              const id = nextId++;
              const expectRefused = running.length + waiting >= maxConcurrent + maxQueued;
              const expectQueued = !expectRefused && running.length + waiting >= maxConcurrent;
              const outcome = limit
                .run(
                  () =>
                    new Promise<void>((resolve) => {
                      started.push(id);
                      running.push({ id, finish: resolve });
                      peak = Math.max(peak, running.length);
                    }),
                )
                .then(
                  () => "done" as const,
                  (err) => (err instanceof Refused ? ("refused" as const) : Promise.reject(err)),
                );
              outcomes.push(outcome);
              if (expectRefused) expect(await outcome).toBe("refused");
              else if (expectQueued) waiting++;
            } else if (running.length > 0) {
              const [task] = running.splice(step % running.length, 1);
              task!.finish();
              if (waiting > 0) waiting--;
            }
            await settle();
            expect(limit.running).toBe(running.length);
            expect(limit.waiting).toBe(waiting);
            expect(running.length).toBeLessThanOrEqual(maxConcurrent);
          }
          // Everything admitted runs to the end, in the order it arrived.
          while (running.length > 0) {
            running.shift()!.finish();
            await settle();
          }
          const results = await Promise.all(outcomes);
          expect(started).toEqual(results.flatMap((result, id) => (result === "done" ? [id] : [])));
          expect(peak).toBeLessThanOrEqual(maxConcurrent);
          expect(limit.running).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("a failing task frees its slot", async () => {
    const limit = createConcurrencyLimit({ maxConcurrent: 1, maxQueued: 0, rejection: () => new Refused() });
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit.run(async () => "after")).toBe("after");
  });
});
