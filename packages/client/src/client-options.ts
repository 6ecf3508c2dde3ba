import type { FetchFunction } from "./network-failure-fetch.js";

/** A session token, or a function returning the current one (called before each request). */
export type TokenSource = string | (() => string | Promise<string>);

/** Who the client is: an API key, a session token from login, or nobody (register and login only). */
export type Credentials = { apiKey: string; token?: never } | { token: TokenSource; apiKey?: never } | { apiKey?: never; token?: never };

/** When and how idempotent calls are retried. */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retries off. Default 4. */
  attempts?: number;
  /** Delay before the first retry, doubled for each further one (with jitter). Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of the delay between two attempts. Default 2000 ms. */
  maxDelayMs?: number;
  /**
   * Also retry `resource_exhausted`, but only when the server says when (`retry-after-ms`
   * or `retry-after`, as Vectron's rate limiter sends): the delay is then the server's.
   * Quotas and size limits come without a hint and are never retried. Default true.
   */
  retryAfterHint?: boolean;
}

/** Options of createVectronClient. */
export type VectronClientOptions = Credentials & {
  /** Where a Vectron node (with the `api` and `auth` roles) answers, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /**
   * Default deadline of a call in milliseconds, retries included (0: none). A call's own
   * `timeoutMs` overrides it. For upsert and scroll it applies to each request. Default 30 s.
   */
  timeoutMs?: number;
  /** Retries of idempotent calls; `false` turns them off. */
  retry?: RetryOptions | false;
  /** `binary` (protobuf, the default: smaller and faster) or `json` (readable in a browser's devtools). */
  format?: "binary" | "json";
  /**
   * The server's largest batch (VECTRON_MAX_BATCH_POINTS, default 10,000): upsert's default
   * batch size, and how many ids get, delete, setPayload and deletePayloadKeys send per request.
   */
  maxBatchPoints?: number;
  /** A fetch implementation to use instead of `globalThis.fetch`. */
  fetch?: FetchFunction;
};

/** The options with every default filled in and checked. */
export interface ResolvedClientOptions {
  baseUrl: string;
  credentials: Credentials;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  format: "binary" | "json";
  maxBatchPoints: number;
  fetch: FetchFunction | undefined;
}

const defaultRetry: Required<RetryOptions> = { attempts: 4, baseDelayMs: 100, maxDelayMs: 2000, retryAfterHint: true };

/** Fills in the defaults; throws a TypeError saying what to pass instead when an option is wrong. */
export function resolveClientOptions(options: VectronClientOptions): ResolvedClientOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createVectronClient: pass an options object, e.g. { baseUrl: 'http://127.0.0.1:8080', apiKey }");
  }
  const { baseUrl, apiKey, token } = options;
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^/]/.test(baseUrl)) {
    throw new TypeError(`createVectronClient: baseUrl must be an http(s) URL such as 'http://127.0.0.1:8080', got ${String(baseUrl)}`);
  }
  if (apiKey !== undefined && token !== undefined) {
    throw new TypeError("createVectronClient: pass apiKey or token, not both");
  }
  if (apiKey !== undefined && (typeof apiKey !== "string" || apiKey === "")) {
    throw new TypeError("createVectronClient: apiKey must be a non-empty string (the key CreateAPIKey returned)");
  }
  const retry = options.retry === false ? { ...defaultRetry, attempts: 1 } : { ...defaultRetry, ...options.retry };
  checkInteger("retry.attempts", retry.attempts, 1);
  checkInteger("retry.baseDelayMs", retry.baseDelayMs, 0);
  checkInteger("retry.maxDelayMs", retry.maxDelayMs, retry.baseDelayMs);
  const timeoutMs = options.timeoutMs ?? 30_000;
  checkInteger("timeoutMs", timeoutMs, 0);
  const maxBatchPoints = options.maxBatchPoints ?? 10_000;
  checkInteger("maxBatchPoints", maxBatchPoints, 1);
  const format = options.format ?? "binary";
  if (format !== "binary" && format !== "json") {
    throw new TypeError(`createVectronClient: format must be "binary" or "json", got ${String(format)}`);
  }
  const credentials: Credentials = apiKey !== undefined ? { apiKey } : token !== undefined ? { token } : {};
  return { baseUrl: baseUrl.replace(/\/+$/, ""), credentials, timeoutMs, retry, format, maxBatchPoints, fetch: options.fetch };
}

/** Throws unless `value` is an integer of at least `min`. */
export function checkInteger(name: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
}
