import { describe, expect, it } from 'vitest';
import { allowed, isAllowListEntry, parseCidr, specialRange } from './ip';

describe('outbound address checks', () => {
  it('names the ranges a service may not reach without an allow-list entry, in every spelling', () => {
    const cases: Record<string, string | undefined> = {
      '10.0.0.1': 'private', '172.16.5.4': 'private', '172.32.0.1': undefined, '192.168.1.1': 'private',
      '127.0.0.1': 'loopback', '127.9.9.9': 'loopback', '::1': 'loopback', '169.254.169.254': 'link-local', 'fe80::1%eth0': 'link-local',
      '0.0.0.0': 'unspecified', '::': 'unspecified', '100.64.0.1': 'shared (CGNAT)', 'fd12::1': 'private',
      '::ffff:10.0.0.1': 'private', '::ffff:7f00:1': 'loopback', '64:ff9b::a00:1': 'private', '2002:7f00:1::': 'loopback',
      '93.184.216.34': undefined, '2606:4700:4700::1111': undefined, '224.0.0.1': 'multicast',
    };
    for (const [address, why] of Object.entries(cases)) expect(specialRange(address), address).toBe(why);
  });

  it('matches allow-list entries by host, *.domain, address and network', () => {
    expect(allowed(['127.0.0.1'], '127.0.0.1', '127.0.0.1', 80)).toBe(true);
    expect(allowed(['10.0.0.0/8'], 'db.internal', '10.1.2.3', 80)).toBe(true);
    expect(allowed(['10.0.0.0/8'], 'db.internal', '11.1.2.3', 80)).toBe(false);
    expect(allowed(['127.0.0.0/8'], 'localhost', '::ffff:127.0.0.1', 80)).toBe(true);
    expect(allowed(['*.corp.example'], 'wiki.corp.example', '10.0.0.5', 80)).toBe(true);
    expect(allowed(['*.corp.example'], 'corp.example.evil', '10.0.0.5', 80)).toBe(false);
    expect(allowed(['api.example.test'], 'other.example.test', '127.0.0.1', 80)).toBe(false);
    expect(allowed(['fd00::/8'], 'v6.internal', 'fd00::5', 80)).toBe(true);
  });

  it('matches an entry with a port only on that port; without one, on any port', () => {
    expect(allowed(['127.0.0.1:8080'], '127.0.0.1', '127.0.0.1', 8080)).toBe(true);
    expect(allowed(['127.0.0.1:8080'], '127.0.0.1', '127.0.0.1', 8081)).toBe(false);
    expect(allowed(['127.0.0.1'], '127.0.0.1', '127.0.0.1', 8081)).toBe(true);
    expect(allowed(['stub.local:443'], 'stub.local', '10.0.0.1', 443)).toBe(true);
    expect(allowed(['stub.local:443'], 'stub.local', '10.0.0.1', 80)).toBe(false);
    expect(allowed(['*.corp.example:8443'], 'wiki.corp.example', '10.0.0.5', 8443)).toBe(true);
    expect(allowed(['10.0.0.0/8:8443'], 'db.internal', '10.1.2.3', 8443)).toBe(true);
    expect(allowed(['10.0.0.0/8:8443'], 'db.internal', '10.1.2.3', 5432)).toBe(false);
    expect(allowed(['[::1]:8080'], '::1', '::1', 8080)).toBe(true);
    expect(allowed(['[::1]:8080'], '::1', '::1', 22)).toBe(false);
    // Without brackets an IPv6 address has no port: "::1:80" is the address ::1:80.
    expect(allowed(['::1:80'], '::1', '::1', 80)).toBe(false);
  });

  it('accepts host names, addresses and CIDRs, and nothing else', () => {
    for (const e of ['api.example.com', '*.corp', '10.0.0.0/8', '::1', 'fc00::/7', 'localhost', 'api.example.com:443', '127.0.0.1:8080', '[::1]:8080', '[fc00::/7]:443', '10.0.0.0/8:1', '*.corp:65535', '[::1]']) {
      expect(isAllowListEntry(e), e).toBe(true);
    }
    for (const e of ['10.0.0.0/33', 'http://x', 'a b', '-bad.example', '::1/129', 'x:0', 'x:65536', 'x:', 'x:https', '[::1]:', '[x]:80', '1.2.3.4:80:80']) {
      expect(isAllowListEntry(e), e).toBe(false);
    }
    expect(parseCidr('192.168.0.0/16')).toEqual({ ip: { version: 4, bytes: [192, 168, 0, 0] }, prefix: 16 });
  });
});
