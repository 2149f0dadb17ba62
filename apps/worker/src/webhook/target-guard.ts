import { isIP } from 'node:net';

/** IPv4 ranges a webhook may never reach: this host, private networks, link-local, CGNAT, benchmarks, multicast, reserved. */
const PRIVATE_V4: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 ("this network"; 0.0.0.0 connects to the local host)
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 CGNAT
  [0x7f000000, 8], // 127/8
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24 IETF protocol assignments
  [0xc0000200, 24], // 192.0.2/24 documentation
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xc6336400, 24], // 198.51.100/24 documentation
  [0xcb007100, 24], // 203.0.113/24 documentation
  [0xe0000000, 3], // 224/4 multicast and 240/4 reserved, 255.255.255.255
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function isPrivateV4Int(n: number): boolean {
  return PRIVATE_V4.some(([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted); null if malformed. */
export function ipv6Groups(address: string): number[] | null {
  let s = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    s = `${s.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function isPrivateV6(g: number[]): boolean {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const embedded = (hi: number, lo: number): boolean => isPrivateV4Int(hi * 0x10000 + lo);
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  // ::ffff:a.b.c.d (mapped, whatever its spelling: [::ffff:7f00:1] is 127.0.0.1) and ::a.b.c.d (compatible,
  // which includes :: and ::1): the IPv4 address is what the socket reaches.
  if (firstFiveZero && (g5 === 0xffff || g5 === 0)) return g5 === 0 && g6 === 0 ? true : embedded(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7); // NAT64
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4
  if (g0 === 0x2001 && g1 === 0) return true; // Teredo: the IPv4 end is obfuscated, refuse the range
  if (g0 === 0x2001 && g1 === 0xdb8) return true; // documentation
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true; // discard-only
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7 unique-local
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, old site-local
  return (g0 & 0xff00) === 0xff00; // multicast
}

/**
 * True for every address a webhook must not reach: loopback, private, link-local, CGNAT, unique-local,
 * multicast, unspecified, reserved, and the IPv6 forms that embed such an IPv4 address. Anything that
 * is not a well-formed IP address counts as private (refuse what cannot be classified).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const v = isIP(bare);
  if (v === 4) return isPrivateV4Int(v4ToInt(bare));
  if (v === 6) {
    const groups = ipv6Groups(bare);
    return groups ? isPrivateV6(groups) : true;
  }
  return true;
}

/**
 * What can be refused from the URL alone: a scheme other than http(s), credentials in the URL, and a
 * literal private address (unless allowPrivate). Host names are checked when the socket connects
 * (guarded-http), against the addresses actually used. Returns the reason, or null.
 */
export function refuseUrl(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `unsupported scheme ${parsed.protocol}`;
  if (parsed.username || parsed.password) return 'credentials in the URL are not allowed';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  // The WHATWG parser already turned decimal, octal and hex IPv4 spellings into dotted form.
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) return `${parsed.hostname} is a private/loopback address`;
  return null;
}
