import { ConnectError, type Interceptor } from "@connectrpc/connect";

/**
 * Settles like `work`, unless `signal` aborts first: then rejects at once with the
 * abort reason as a ConnectError (`deadline_exceeded` when the handler context's
 * deadline passed, `canceled` when the client went away). The work itself runs on
 * unless it watches the signal; its late result or error is dropped.
 */
export function settleBeforeAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(ConnectError.from(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(ConnectError.from(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
    // The listener goes as the work settles (not a turn later), so aborting a finished
    // call's signal finds no listener to run.
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A server interceptor answering a unary call `deadline_exceeded` as soon as its deadline
 * passes, even when the handler does not watch `ctx.signal`: Connect's own handlers only
 * abort the signal and wait for the implementation.
 */
export function createDeadlineInterceptor(): Interceptor {
  return (next) => (req) => (req.stream ? next(req) : settleBeforeAbort(next(req), req.signal));
}
