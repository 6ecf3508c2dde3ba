import { Code } from "@connectrpc/connect";
import { PrometheusText } from "./prometheus-text";

/** How a call arrived: the protocol, and for Connect its encoding. */
export const rpcProtocols = ["connect_json", "connect_proto", "grpc", "grpc_web"] as const;
export type RpcProtocol = (typeof rpcProtocols)[number];

/**
 * Upper bounds of the latency buckets, in seconds: 100 µs (an in-memory Get) to 60 s
 * (the longest deadline by default).
 */
export const latencyBucketsSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Names of Connect's codes, 0 (ok) to 16, in snake_case as the Connect protocol spells them. */
export const codeNames = Array.from({ length: 17 }, (_, code) => (code === 0 ? "ok" : Code[code]!.replace(/[a-z][A-Z]/g, (pair) => `${pair[0]}_${pair[1]}`).toLowerCase()));

/** Latency of one method over one protocol; bucket counts are per bucket here, cumulated when written. */
interface LatencySeries {
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * The counters of one method, created once when the routes are instrumented, so that
 * recording a call allocates nothing: arrays indexed by protocol and code.
 */
export class MethodMetrics {
  inFlight = 0;
  /** [protocol][code] → calls answered. */
  readonly answered: Float64Array[] = rpcProtocols.map(() => new Float64Array(codeNames.length));
  readonly latency: LatencySeries[] = rpcProtocols.map(() => ({ buckets: new Float64Array(latencyBucketsSeconds.length + 1), sum: 0, count: 0 }));

  constructor(
    readonly service: string,
    readonly method: string,
  ) {}

  /** One answered call: its protocol (index in rpcProtocols), code and duration in seconds. */
  record(protocol: number, code: number, seconds: number): void {
    this.answered[protocol]![code] = this.answered[protocol]![code]! + 1;
    const series = this.latency[protocol]!;
    let bucket = 0;
    while (bucket < latencyBucketsSeconds.length && seconds > latencyBucketsSeconds[bucket]!) bucket++;
    series.buckets[bucket] = series.buckets[bucket]! + 1;
    series.sum += seconds;
    series.count++;
  }
}

/**
 * Request counts by service, method, protocol and code, latency histograms by service,
 * method and protocol, and calls in flight, for every RPC a node serves.
 */
export class RpcMetrics {
  readonly #methods: MethodMetrics[] = [];

  /** The counters of a method (call once per method, when wrapping it). */
  method(service: string, method: string): MethodMetrics {
    const metrics = new MethodMetrics(service, method);
    this.#methods.push(metrics);
    return metrics;
  }

  write(text: PrometheusText): void {
    text.family("vectron_rpc_requests_total", "counter", "RPCs answered, by service, method, protocol and status code.");
    for (const m of this.#methods) {
      m.answered.forEach((codes, protocol) =>
        codes.forEach((count, code) => {
          if (count > 0) text.sample("vectron_rpc_requests_total", { service: m.service, method: m.method, protocol: rpcProtocols[protocol]!, code: codeNames[code]! }, count);
        }),
      );
    }
    text.family("vectron_rpc_duration_seconds", "histogram", "Time from a call reaching its handler to its answer (clamped to the call's deadline), by service, method and protocol.");
    for (const m of this.#methods) {
      m.latency.forEach((series, protocol) => {
        if (series.count === 0) return;
        const labels = { service: m.service, method: m.method, protocol: rpcProtocols[protocol]! };
        let cumulative = 0;
        latencyBucketsSeconds.forEach((bound, i) => {
          cumulative += series.buckets[i]!;
          text.sample("vectron_rpc_duration_seconds_bucket", { ...labels, le: String(bound) }, cumulative);
        });
        text.sample("vectron_rpc_duration_seconds_bucket", { ...labels, le: "+Inf" }, series.count);
        text.sample("vectron_rpc_duration_seconds_sum", labels, series.sum);
        text.sample("vectron_rpc_duration_seconds_count", labels, series.count);
      });
    }
    text.family("vectron_rpc_in_flight", "gauge", "RPCs being handled now, by service and method.");
    for (const m of this.#methods) text.sample("vectron_rpc_in_flight", { service: m.service, method: m.method }, m.inFlight);
  }
}
