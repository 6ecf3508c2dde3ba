import { Code, ConnectError, type CallOptions } from "@connectrpc/connect";
import type { RetryOptions } from "./client-options.js";
import { clientErrorOf } from "./client-error-of.js";
import { retryDelayMs } from "./retry-delay.js";

/** Options every method of the client takes. */
export interface CallSettings {
  /** Deadline of this call in milliseconds, retries included (0: none); overrides the client's timeoutMs. */
  timeoutMs?: number;
  /** Cancels the call (and any wait before a retry); it then fails with CanceledError. */
  signal?: AbortSignal;
}

/** Whether a failed call may be sent again: only when doing it twice is the same as once. */
export type Idempotency = "idempotent" | "once";

/** Runs one logical call: attempts, backoff, deadline and error translation. */
export type RpcCaller = <T>(
  rpc: string,
  idempotency: Idempotency,
  attempt: (options: CallOptions) => Promise<T>,
  settings?: CallSettings,
) => Promise<T>;

/**
 * A caller for a client's policy. The deadline covers the whole call: each attempt gets
 * what is left of it (Connect sends it as `connect-timeout-ms`, so the server stops
 * too), and a retry whose wait would outlast it is not made: the last error is thrown
 * instead. Every error is a VectronClientError.
 */
export function createRpcCaller(policy: { timeoutMs: number; retry: Required<RetryOptions> }): RpcCaller {
  return async (rpc, idempotency, attempt, settings = {}) => {
    const timeoutMs = settings.timeoutMs ?? policy.timeoutMs;
    const deadline = timeoutMs > 0 ? performance.now() + timeoutMs : undefined;
    for (let attempts = 1; ; attempts++) {
      const left = deadline === undefined ? undefined : Math.max(1, Math.round(deadline - performance.now()));
      try {
        return await attempt({ timeoutMs: left, signal: settings.signal });
      } catch (err) {
        const error = clientErrorOf(err, rpc, attempts);
        const wait = idempotency === "idempotent" ? retryDelayMs(error, attempts, policy.retry) : undefined;
        if (wait === undefined || settings.signal?.aborted) throw error;
        if (deadline !== undefined && performance.now() + wait >= deadline) throw error;
        await sleep(wait, settings.signal, rpc, attempts);
      }
    }
  };
}

/** Waits `ms`, or fails with the caller's abort as a CanceledError. */
function sleep(ms: number, signal: AbortSignal | undefined, rpc: string, attempts: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(clientErrorOf(ConnectError.from(signal?.reason, Code.Canceled), rpc, attempts));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

