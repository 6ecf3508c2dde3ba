import { randomBytes } from "node:crypto";

/** An ASCII string unique to this run, e.g. `bsecret-3f9a0c1d2e4b`: found only where it was put. */
export function marker(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString("hex")}`;
}

/**
 * What one tenant must never learn about the others: strings it never sends (hidden) and
 * strings it may send but must only ever get back as an echo of its own request (e.g.
 * another user's collection name, which it can guess). Markers are ASCII, so a protobuf
 * body is searched as latin1 text: a UTF-8 string field holding one contains its bytes.
 */
export class SecretMarkers {
  private readonly hidden: string[] = [];
  private readonly echoOnly: string[] = [];

  /** Strings the observer never sends: any occurrence in an answer is a leak. */
  addHidden(...values: string[]): void {
    this.hidden.push(...values.filter(Boolean));
  }

  /** Strings the observer may send: an answer may hold one only if its request did. */
  addEchoOnly(...values: string[]): void {
    this.echoOnly.push(...values.filter(Boolean));
  }

  /** The first secret the answer reveals, or undefined. `request` is what was sent, as text. */
  leakIn(answer: string | Uint8Array, request: string | Uint8Array): string | undefined {
    const text = asText(answer);
    const sent = asText(request);
    return this.hidden.find((s) => text.includes(s)) ?? this.echoOnly.find((s) => text.includes(s) && !sent.includes(s));
  }
}

function asText(value: string | Uint8Array): string {
  return typeof value === "string" ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1");
}
