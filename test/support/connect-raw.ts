import type { ConnectAnswer } from "./rpc-answer-checks";

export interface RawConnectOptions {
  /** application/proto instead of application/json. */
  binary: boolean;
  /** Sent as `Authorization: Bearer <token>`; an empty string sends no header. */
  token: string;
  /** Gzip the body (Content-Encoding: gzip): the generic Connect handler answers, not the fast path. */
  gzip?: boolean;
  timeoutMs?: number;
}

/**
 * A Connect unary POST of exactly these bytes, as a fuzzer or a broken client sends it,
 * and the answer as received (status, content type, raw body).
 */
export async function postConnect(baseUrl: string, path: string, body: string | Uint8Array, options: RawConnectOptions): Promise<ConnectAnswer> {
  const headers: Record<string, string> = { "content-type": options.binary ? "application/proto" : "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let sent: string | Uint8Array<ArrayBuffer> = typeof body === "string" ? body : Uint8Array.from(body);
  if (options.gzip) {
    headers["content-encoding"] = "gzip";
    sent = Bun.gzipSync(typeof sent === "string" ? new TextEncoder().encode(sent) : sent);
  }
  const response = await fetch(`${baseUrl}/${path}`, { method: "POST", headers, body: sent, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: new Uint8Array(await response.arrayBuffer()) };
}
