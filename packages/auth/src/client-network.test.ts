import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { clientNetworkOf } from "./client-network";

const group = fc.integer({ min: 0, max: 0xffff });
const groups8 = fc.array(group, { minLength: 8, maxLength: 8 });

/** An IPv6 address in full form, or with its longest run of zero groups written `::`. */
function written(groups: number[], compress: boolean): string {
  const hex = groups.map((g) => g.toString(16));
  if (!compress) return hex.join(":");
  let best = { start: -1, length: 0 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  if (best.length < 2) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}

describe("client network of an address", () => {
  test("IPv4 is itself, also IPv4-mapped; IPv6 is its /64; brackets, zone and case do not matter", () => {
    expect(clientNetworkOf("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetworkOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetworkOf("::FFFF:cb00:7107")).toBe("203.0.113.7");
    expect(clientNetworkOf("2001:DB8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(clientNetworkOf("[2001:db8:1:2::99]")).toBe("2001:db8:1:2::/64");
    expect(clientNetworkOf("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(clientNetworkOf("::2")).toBe("0:0:0:0::/64");
  });

  test("what is not an IP address, and a loopback peer, is not counted per network", () => {
    for (const text of [undefined, "127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1", "", "unknown", "256.1.1.1", "1.2.3", "1:2:3", "1::2::3", "2001:db8::g", "1:2:3:4:5:6:7:8:9"]) {
      expect(clientNetworkOf(text)).toBeUndefined();
    }
  });

  test("two IPv6 addresses share a network exactly when their first 64 bits are equal, however written", () => {
    fc.assert(
      fc.property(groups8, groups8, fc.boolean(), fc.boolean(), (a, b, compressA, compressB) => {
        // Keep clear of the IPv4-mapped range, which counts per IPv4 address.
        const special = (g: number[]) => g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || (g[5] === 0 && g[6] === 0 && g[7] === 1));
        fc.pre(!special(a) && !special(b));
        const networkA = clientNetworkOf(written(a, compressA));
        const networkB = clientNetworkOf(written(b, compressB));
        expect(networkA).toBeDefined();
        expect(networkA === networkB).toBe(a.slice(0, 4).join() === b.slice(0, 4).join());
      }),
      { numRuns: 2000 },
    );
  });

  test("a /64 sharing its first groups is still a different network", () => {
    fc.assert(
      fc.property(groups8, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 0xffff }), (a, at, delta) => {
        fc.pre(a[0] !== 0); // not ::ffff:…
        const b = [...a];
        b[at] = (a[at]! + delta) % 0x10000;
        expect(clientNetworkOf(written(a, true))).not.toBe(clientNetworkOf(written(b, true)));
      }),
    );
  });
});
