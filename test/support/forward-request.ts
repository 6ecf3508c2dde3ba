/**
 * Sends `request` on to the same path at `targetBaseUrl` and returns the answer, as a
 * reverse proxy does. Bun's fetch decodes compressed bodies, so the answer goes back
 * without its content-encoding and length, and the upstream is not offered compression.
 */
export async function forwardRequest(request: Request, targetBaseUrl: string): Promise<Response> {
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  for (const name of ["host", "accept-encoding", "content-length", "connection"]) headers.delete(name);
  const upstream = await fetch(`${targetBaseUrl}${url.pathname}${url.search}`, {
    method: request.method,
    headers,
    body: request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer(),
    redirect: "manual",
  });
  const answer = new Headers(upstream.headers);
  answer.delete("content-encoding");
  answer.delete("content-length");
  return new Response(upstream.body, { status: upstream.status, headers: answer });
}
