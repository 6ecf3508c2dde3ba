/**
 * The network a client address is counted under for throttling: an IPv4 address as
 * itself (also when written IPv4-mapped, `::ffff:1.2.3.4`), an IPv6 address as its /64,
 * because one subscriber usually holds a whole /64 and could otherwise change address
 * for every attempt.
 *
 * Undefined — not counted per network, only per email — for anything that is not an IP
 * address (the server's "unknown" for a peer without one) and for loopback peers
 * (127.0.0.0/8, ::1): those are this host's own processes, or a reverse proxy on this
 * host, where one address stands for every client and a per-address lock would lock
 * everyone out at the first 20 wrong passwords.
 */
export function clientNetworkOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const text = address.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  if (isIpv4(text)) return ipv4Network(text);
  const groups = ipv6Groups(text);
  if (!groups) return undefined;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Network(`${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`);
  }
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return undefined; // ::1
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

function ipv4Network(address: string): string | undefined {
  return address.startsWith("127.") ? undefined : address;
}

function isIpv4(text: string): boolean {
  const parts = text.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

/** The eight 16-bit groups of an IPv6 address, or undefined if it is not one. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === "") return [];
    const groups: number[] = [];
    const pieces = half.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && isIpv4(piece)) {
        const [a, b, c, d] = piece.split(".").map(Number) as [number, number, number, number];
        groups.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : undefined;
}
