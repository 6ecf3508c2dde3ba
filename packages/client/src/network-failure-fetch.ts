import { Code, ConnectError } from "@connectrpc/connect";

/** The fetch function the client calls: the platform's, or one the caller passes. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps fetch so that a request that never got an answer (connection refused or reset,
 * DNS failure: fetch rejects with a TypeError in Node.js, Bun, Deno and browsers alike)
 * fails with `unavailable`, as a Connect server would have said it, instead of
 * `unknown`: the retry policy can then retry it like a server's `unavailable`. An abort
 * (deadline or the caller's signal) is left alone, for Connect to report as such.
 *
 * `fetch` is looked up on each call, so a polyfill installed later is used.
 */
export function networkFailureFetch(fetch?: FetchFunction): FetchFunction {
  return async (input, init) => {
    try {
      return await (fetch ?? globalThis.fetch)(input, init);
    } catch (err) {
      if (init?.signal?.aborted || !(err instanceof TypeError)) throw err;
      throw new ConnectError(`network error: ${err.message}`, Code.Unavailable, undefined, undefined, err);
    }
  };
}
