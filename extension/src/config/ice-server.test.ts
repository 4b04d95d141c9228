import { describe, expect, it } from 'vitest';
import { parseIceUrl } from './ice-server.js';
import { parsePeerConfig } from './peer-config.js';
import { toNdcConfig } from '../transport/ndc-transport.js';

describe('ICE server URLs (RFC 7064, RFC 7065)', () => {
  it.each([
    ['stun:stun.example.org', { scheme: 'stun', hostname: 'stun.example.org', port: 3478 }],
    ['stun:stun.example.org:19302', { scheme: 'stun', hostname: 'stun.example.org', port: 19302 }],
    ['STUN:Example.ORG', { scheme: 'stun', hostname: 'Example.ORG', port: 3478 }],
    ['stun:192.0.2.1:5000', { scheme: 'stun', hostname: '192.0.2.1', port: 5000 }],
    ['stun:[2001:db8::1]:5000', { scheme: 'stun', hostname: '2001:db8::1', port: 5000 }],
    ['stun:[2001:db8::1]', { scheme: 'stun', hostname: '2001:db8::1', port: 3478 }],
    ['stuns:stun.example.org', { scheme: 'stuns', hostname: 'stun.example.org', port: 5349 }],
    ['turn:turn.example.org', { scheme: 'turn', hostname: 'turn.example.org', port: 3478, relay: 'udp' }],
    ['turn:turn.example.org?transport=tcp', { scheme: 'turn', port: 3478, relay: 'tcp' }],
    ['turn:turn.example.org:443?transport=udp', { scheme: 'turn', port: 443, relay: 'udp' }],
    ['turns:turn.example.org', { scheme: 'turns', port: 5349, relay: 'tls' }],
    ['turns:turn.example.org?transport=tcp', { scheme: 'turns', relay: 'tls' }],
  ])('%s', (url, expected) => {
    const parsed = parseIceUrl(url, 'u', 'user', 'secret');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toMatchObject(expected);
  });

  it.each([
    ['white space around the URL', ' stun:stun.example.org', /white space/],
    ['white space inside the URL', 'stun: stun.example.org', /white space/],
    ['an empty query', 'turn:turn.example.org?', /only \?transport=udp or \?transport=tcp/],
    ['a malformed IPv4 address', 'stun:999.1.1.1', /no valid IPv4 address or host name/],
    ['a short dotted-number host', 'stun:127.1', /no valid IPv4 address or host name/],
    ['five dotted numbers', 'stun:1.2.3.4.5:3478', /no valid IPv4 address or host name/],
    ['an IPv6 zone', 'stun:[fe80::1%eth0]:3478', /not an IPv6 address \(without a zone\)/],
    ['a label over 63 characters', `stun:${'a'.repeat(64)}.example.org`, /no valid IPv4 address or host name/],
    ['a label ending in "-"', 'stun:bad-.example.org', /no valid IPv4 address or host name/],
    ['user info (RFC 7064 has none)', 'stun:user@stun.example.org', /no valid IPv4 address or host name/],
    ['a path', 'stun:stun.example.org/path', /no valid IPv4 address or host name/],
    ['a second scheme', 'stun:stun:stun.example.org', /invalid port/],
  ])('refused: %s', (_what, url, reason) => {
    const parsed = parseIceUrl(url, 'u', 'user', 'secret');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(reason);
  });

  it('credentials go with TURN servers only', () => {
    const stun = parseIceUrl('stun:x.example', 'u', 'user', 'secret');
    const turn = parseIceUrl('turn:x.example', 'u', 'user', 'secret');
    expect(stun.ok && stun.value.username).toBeUndefined();
    expect(turn.ok && turn.value.username).toBe('user');
    expect(turn.ok && turn.value.credential).toBe('secret');
  });
});

describe('initialize() configuration', () => {
  it('urls as a String or an Array, several servers, credentials per entry', () => {
    const parsed = parsePeerConfig({
      iceServers: [{ urls: 'stun:a.example' }, { urls: ['turn:b.example', 'turn:b.example?transport=tcp'], username: 'u', credential: 'c' }],
      iceTransportPolicy: 'relay',
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.iceServers.map((s) => `${s.scheme}:${s.hostname}:${s.port}:${s.relay ?? '-'}:${s.username ?? '-'}`)).toEqual([
      'stun:a.example:3478:-:-',
      'turn:b.example:3478:udp:u',
      'turn:b.example:3478:tcp:u',
    ]);
    expect(parsed.value.iceTransportPolicy).toBe('relay');
  });

  it('the libdatachannel dictionary reaches node-datachannel unchanged', () => {
    const parsed = parsePeerConfig({
      iceServers: [{ urls: 'turns:t.example:5349', username: 'u', credential: 'c' }, { urls: 'stun:[::1]:3478' }],
      libdatachannel: { enableIceTcp: true, enableIceUdpMux: true, portRangeBegin: 40000, portRangeEnd: 40100, mtu: 1200, bindAddress: '127.0.0.1', maxMessageSize: 65536 },
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(toNdcConfig(parsed.value)).toEqual({
      iceServers: [
        { hostname: 't.example', port: 5349, relayType: 'TurnTls', username: 'u', password: 'c' },
        { hostname: '::1', port: 3478 },
      ],
      iceTransportPolicy: 'all',
      disableAutoNegotiation: true,
      enableIceTcp: true,
      enableIceUdpMux: true,
      portRangeBegin: 40000,
      portRangeEnd: 40100,
      mtu: 1200,
      bindAddress: '127.0.0.1',
      maxMessageSize: 65536,
    });
  });

  it('null and an empty Dictionary mean the defaults', () => {
    for (const config of [null, undefined, {}]) {
      const parsed = parsePeerConfig(config);
      expect(parsed.ok && parsed.value.iceServers).toEqual([]);
    }
  });
});

describe('STUN over TLS', () => {
  it('is accepted, says in one warning that libjuice ignores it, and never reaches the stack', async () => {
    const { Session } = await import('../api/session.js');
    const { fakeTransport } = await import('../transport/fake-transport.js');
    const lines: string[] = [];
    const session = new Session({ transport: fakeTransport, logger: (level, message) => lines.push(`${level}: ${message}`) });
    const pc = session.createPeerConnection();
    expect(pc.initialize({ iceServers: [{ urls: ['stuns:s.example', 'stun:a.example'] }] })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^warning: .*STUN over TLS .*s\.example.*ignored/)]);
    session.close();
    const parsed = parsePeerConfig({ iceServers: [{ urls: ['stuns:s.example', 'stun:a.example'] }] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(toNdcConfig(parsed.value).iceServers).toEqual([{ hostname: 'a.example', port: 3478 }]);
  });
});

describe('TURN over TCP or TLS', () => {
  it('is accepted and says in one warning that libjuice ignores it', async () => {
    const { Session } = await import('../api/session.js');
    const { fakeTransport } = await import('../transport/fake-transport.js');
    const lines: string[] = [];
    const session = new Session({ transport: fakeTransport, logger: (level, message) => lines.push(`${level}: ${message}`) });
    const pc = session.createPeerConnection();
    expect(pc.initialize({ iceServers: [{ urls: ['turns:t.example', 'turn:u.example'], username: 'u', credential: 'c' }] })).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/^warning: .*TURN over TLS .*t\.example.*ignored/)]);
    session.close();
  });
});
