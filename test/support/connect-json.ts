/** What a Connect JSON call answered: the HTTP status and the parsed body. */
export interface JsonReply {
  status: number;
  body: any;
}

/**
 * A Connect unary call with plain `fetch` and JSON, as curl would make it:
 * POST <baseUrl>/<package.Service>/<Method>, `Content-Type: application/json`.
 */
export async function callJson(baseUrl: string, path: string, body: unknown, token?: string): Promise<JsonReply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** callJson that expects success and returns the body. */
export async function okJson(baseUrl: string, path: string, body: unknown, token?: string): Promise<any> {
  const reply = await callJson(baseUrl, path, body, token);
  if (reply.status !== 200) throw new Error(`${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}
