import { forwardRequest } from "./forward-request";

/** An answer the proxy gives instead of forwarding: a Connect error in its JSON form. */
export interface InjectedError {
  /** Connect code, e.g. "unavailable". */
  code: string;
  message?: string;
  /** HTTP status (Connect's mapping of the code when absent). */
  status?: number;
  /** Extra response headers, e.g. { "retry-after": "0" }. */
  headers?: Record<string, string>;
}

/** A request as the proxy saw it. */
export interface SeenRequest {
  /** The RPC path, e.g. "/vectron.v1.VectronService/Search". */
  path: string;
  headers: Headers;
}

/** A real HTTP reverse proxy in front of a Vectron node whose next answers a test can script. */
export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  port: number;
  /** Every request received, in order (the scripted ones included). */
  seen: SeenRequest[];
  /** The requests received for one RPC (e.g. "Search"). */
  seenFor(rpc: string): SeenRequest[];
  /** The next `count` requests for `rpc` get `error` instead of being forwarded. */
  failNext(rpc: string, count: number, error: InjectedError): void;
  /** The next `count` requests for `rpc` are held `ms` before being forwarded. */
  delayNext(rpc: string, count: number, ms: number): void;
  stop(): Promise<void>;
}

const statusOfCode: Record<string, number> = {
  unavailable: 503,
  resource_exhausted: 429,
  deadline_exceeded: 504,
  internal: 500,
  not_found: 404,
  invalid_argument: 400,
};

type Step = { kind: "fail"; error: InjectedError } | { kind: "delay"; ms: number };

/**
 * Starts the proxy on `port` (0: a free one), forwarding to `targetBaseUrl` everything
 * that is not scripted. Scripted answers are what a Connect server or a load balancer
 * would send over the wire: the client under test sees real HTTP, nothing mocked.
 */
export function startFaultProxy(targetBaseUrl: string, port = 0): FaultProxy {
  const seen: SeenRequest[] = [];
  const scripts = new Map<string, Step[]>();
  const script = (rpc: string, count: number, step: Step) => {
    const steps = scripts.get(rpc) ?? [];
    for (let i = 0; i < count; i++) steps.push(step);
    scripts.set(rpc, steps);
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      seen.push({ path, headers: new Headers(request.headers) });
      const step = scripts.get(path.slice(path.lastIndexOf("/") + 1))?.shift();
      if (step?.kind === "fail") {
        const { code, message = `injected ${code}`, status = statusOfCode[code] ?? 500, headers = {} } = step.error;
        await request.arrayBuffer();
        return Response.json({ code, message }, { status, headers });
      }
      if (step?.kind === "delay") await Bun.sleep(step.ms);
      try {
        return await forwardRequest(request, targetBaseUrl);
      } catch {
        // The client gave up while the request was held (its deadline): nobody reads this.
        return new Response(null, { status: 502 });
      }
    },
  });
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    port: server.port!,
    seen,
    seenFor: (rpc) => seen.filter((request) => request.path.endsWith(`/${rpc}`)),
    failNext: (rpc, count, error) => script(rpc, count, { kind: "fail", error }),
    delayNext: (rpc, count, ms) => script(rpc, count, { kind: "delay", ms }),
    stop: () => server.stop(true),
  };
}
