/** Label names to values of one sample. */
export type Labels = Readonly<Record<string, string>>;

/**
 * A Prometheus text exposition (format 0.0.4) being written: each metric family once,
 * with its HELP and TYPE, then its samples.
 */
export class PrometheusText {
  static readonly contentType = "text/plain; version=0.0.4; charset=utf-8";
  #out = "";

  /** A family's HELP and TYPE lines; its samples follow with sample(). */
  family(name: string, type: "counter" | "gauge" | "histogram", help: string): this {
    this.#out += `# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}\n# TYPE ${name} ${type}\n`;
    return this;
  }

  sample(name: string, labels: Labels, value: number): this {
    this.#out += `${name}${labelText(labels)} ${numberText(value)}\n`;
    return this;
  }

  /** A gauge family with these samples (a family with none is still declared). */
  gauge(name: string, help: string, samples: Iterable<[Labels, number]>): this {
    this.family(name, "gauge", help);
    for (const [labels, value] of samples) this.sample(name, labels, value);
    return this;
  }

  toString(): string {
    return this.#out;
  }
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return "";
  return `{${keys.map((key) => `${key}="${escapeLabel(labels[key]!)}"`).join(",")}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
