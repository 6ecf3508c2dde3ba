/** A JSON value, as payloads hold them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A point's payload: any JSON object (kept exactly; NaN and Infinity are refused). */
export type Payload = { [key: string]: JsonValue };

/** A dense vector; stored as float32 either way. */
export type Vector = number[] | Float32Array;

/** A point to upsert. */
export interface PointInput {
  /** Chosen by you: 1–256 UTF-8 bytes. Upserting an existing id replaces that point. */
  id: string;
  vector: Vector;
  payload?: Payload;
}

/** A point read back by get or scroll. */
export interface StoredPoint {
  id: string;
  /** Present when asked for (get: by default; scroll: with withVector). */
  vector?: number[];
  /** Present unless withPayload was false. */
  payload?: Payload;
}

/** One search result. */
export interface SearchHit {
  id: string;
  /** Cosine similarity or dot product (higher is better), or Euclidean distance (lower is better). */
  score: number;
  /** Present unless withPayload was false. */
  payload?: Payload;
  /** Present with withVector. */
  vector?: number[];
}

/**
 * Which replica may answer a read: `strong` (the default) sees every write acknowledged
 * before the read started; `eventual` may use any in-sync replica (faster, keeps
 * answering during a failover, may miss the latest writes).
 */
export type Consistency = "strong" | "eventual";
