/**
 * IP addresses for the outbound allow-list: parsing (IPv4, IPv6 with `::`, embedded IPv4 and zone),
 * CIDR matching, and the ranges a web service may not reach unless an admin allows them — private,
 * loopback, link-local, unspecified, CGNAT, multicast and reserved, also when written as an
 * IPv4-mapped (or compatible, NAT64, 6to4) IPv6 address.
 */
import { isIP } from 'node:net';

/** An address as 4 or 16 bytes. */
export interface Ip {
  version: 4 | 6;
  bytes: number[];
}

/**
 * Parses an IP address; undefined when it is not one.
 *
 * @example
 * parseIp('10.0.0.1');          // { version: 4, bytes: [10, 0, 0, 1] }
 * parseIp('::ffff:127.0.0.1');  // { version: 6, bytes: [0, …, 0xff, 0xff, 127, 0, 0, 1] }
 */
export function parseIp(text: string): Ip | undefined {
  const s = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v = isIP(s);
  if (v === 4) return { version: 4, bytes: s.split('.').map(Number) };
  if (v !== 6) return undefined;
  // An embedded IPv4 tail becomes two hex groups: `::ffff:1.2.3.4` → `::ffff:102:304`.
  const head = s.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const l = parse(left);
  const r = parse(right);
  const groups = right === undefined ? l : [...l, ...Array<number>(8 - l.length - r.length).fill(0), ...r];
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g))) return undefined;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  return { version: 6, bytes };
}

/** A network: an address and a prefix length. */
export interface Cidr {
  ip: Ip;
  prefix: number;
}

/**
 * Parses `10.0.0.0/8`, `fc00::/7` or a lone address (a /32 or /128); undefined when invalid.
 *
 * @example
 * parseCidr('192.168.0.0/16'); // { ip: { version: 4, bytes: [192, 168, 0, 0] }, prefix: 16 }
 */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined || !addr) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (bits === undefined) return { ip, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return { ip, prefix: Number(bits) };
}

/**
 * True when `ip` lies in `cidr` (an IPv4-mapped IPv6 address matches IPv4 networks too).
 *
 * @example
 * inCidr(parseIp('10.1.2.3')!, parseCidr('10.0.0.0/8')!); // true
 */
export function inCidr(ip: Ip, cidr: Cidr): boolean {
  const a = ip.version === cidr.ip.version ? ip : ip.version === 6 ? embeddedV4(ip) : undefined;
  if (!a || a.version !== cidr.ip.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a.bytes[i]! & mask) !== (cidr.ip.bytes[i]! & mask)) return false;
  }
  return true;
}

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), -compatible (`::a.b.c.d`), NAT64 or 6to4 IPv6 address. */
function embeddedV4(ip: Ip): Ip | undefined {
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return { version: 4, bytes: b.slice(12) };
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return { version: 4, bytes: b.slice(12) };
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return { version: 4, bytes: b.slice(12) };
  if (b[0] === 0x20 && b[1] === 0x02) return { version: 4, bytes: b.slice(2, 6) };
  return undefined;
}

const SPECIAL: Array<[string, string]> = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared (CGNAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];
const SPECIAL_NETS = SPECIAL.map(([c, why]) => ({ cidr: parseCidr(c)!, why }));

/**
 * Why an address may not be called without an allow-list entry (`'private'`, `'loopback'` …), or
 * undefined for an ordinary public address.
 *
 * @example
 * specialRange('10.0.0.1');        // 'private'
 * specialRange('::ffff:127.0.0.1'); // 'loopback'
 * specialRange('93.184.216.34');   // undefined
 */
export function specialRange(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) return 'not an IP address';
  return SPECIAL_NETS.find((n) => inCidr(ip, n.cidr))?.why;
}

/** An allow-list entry taken apart: a host name (`*.` for subdomains), an address or a CIDR, and a port or none. */
interface AllowEntry {
  /** Lower case, without a trailing dot. */
  host?: string;
  cidr?: Cidr;
  /** Undefined: any port. */
  port?: number;
}

const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

/**
 * Reads an allow-list entry: `host`, `*.domain`, an address, a CIDR, each optionally followed by
 * `:port` (an IPv6 address or network takes a port only in brackets: `[::1]:8080`). Resolves to
 * the entry or to why it is not one.
 *
 * @example
 * parseAllowEntry('127.0.0.1:8080'); // { entry: { cidr: 127.0.0.1/32, port: 8080 } }
 * parseAllowEntry('api.example:0');  // { problem: 'has an invalid port "0" (1 to 65535)' }
 */
export function parseAllowEntry(text: string): { entry: AllowEntry } | { problem: string } {
  let target = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    target = bracketed[1]!;
    portText = bracketed[2];
    if (!target.includes(':')) return { problem: 'is not an IPv6 address or network in brackets' };
  } else if (text.indexOf(':') !== -1 && text.indexOf(':') === text.lastIndexOf(':')) {
    // One colon: host:port. More: an IPv6 address or network, which has no port without brackets.
    [target, portText] = text.split(':') as [string, string];
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return { problem: `has an invalid port "${portText}" (1 to 65535)` };
    port = Number(portText);
  }
  const cidr = parseCidr(target);
  if (cidr) return { entry: { cidr, port } };
  const name = target.startsWith('*.') ? target.slice(2) : target;
  if (!bracketed && HOST_NAME.test(name)) return { entry: { host: target.toLowerCase().replace(/\.$/, ''), port } };
  return { problem: 'is neither a host name, an IP address nor a CIDR (e.g. 10.0.0.0/8), each optionally with :port' };
}

/** True when `text` is a valid allow-list entry (see `parseAllowEntry`). */
export function isAllowListEntry(text: string): boolean {
  return 'entry' in parseAllowEntry(text);
}

/**
 * True when the allow-list names `host` (or a `*.` parent of it), or a network holding `address`,
 * on `port` — an entry without a port names every port.
 *
 * @example
 * allowed(['127.0.0.1'], '127.0.0.1', '127.0.0.1', 8080);             // true
 * allowed(['127.0.0.1:9000'], '127.0.0.1', '127.0.0.1', 8080);        // false
 * allowed(['10.0.0.0/8'], 'db.internal', '10.1.2.3', 5432);           // true
 * allowed(['api.example.test'], 'other.example.test', '127.0.0.1', 80); // false
 */
export function allowed(allowList: readonly string[], host: string, address: string, port: number): boolean {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
  const ip = parseIp(address);
  for (const text of allowList) {
    const parsed = parseAllowEntry(text.trim());
    if (!('entry' in parsed)) continue;
    const e = parsed.entry;
    if (e.port !== undefined && e.port !== port) continue;
    if (e.cidr) {
      if (ip && inCidr(ip, e.cidr)) return true;
      continue;
    }
    if (e.host === h || (e.host!.startsWith('*.') && h.endsWith(e.host!.slice(1)))) return true;
  }
  return false;
}
