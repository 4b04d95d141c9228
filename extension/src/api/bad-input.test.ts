// Bad input from a script or a remote peer: each case gets the exact Godot
// Error and exactly one error line naming what was wrong, and the object goes
// on working afterwards (a full connection on the fake stack, an offer on
// node-datachannel).
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelState, GodotError, SignalingState, WriteMode } from '../godot/enums.generated.js';
import { LOOPBACK, collectLogs, makeOffer, pollUntil, wire } from '../testing/loopback.js';
import { fakeTransport } from '../transport/fake-transport.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import type { Transport } from '../transport/transport.js';
import type { DataChannel } from './data-channel.js';
import type { PeerConnection } from './peer-connection.js';
import { Session } from './session.js';

const sessions: Session[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

function setup(transport: Transport) {
  const logs = collectLogs();
  const session = new Session({ transport, logger: logs.logger });
  sessions.push(session);
  const pc = session.createPeerConnection();
  return { session, pc, logs: logs.lines };
}

/** The connection still does its job after the bad call. */
async function stillWorks(session: Session, pc: PeerConnection, transport: Transport): Promise<void> {
  if (pc.getSignalingState() === SignalingState.SIGNALING_STATE_CLOSED) expect(pc.initialize(LOOPBACK)).toBe(GodotError.OK);
  const ch = pc.createDataChannel('still-works');
  expect(ch).not.toBeNull();
  if (transport !== fakeTransport) {
    let offered = false;
    pc.connect('session_description_created', () => (offered = true));
    expect(pc.createOffer()).toBe(GodotError.OK);
    await pollUntil([pc], () => offered, 5000, 'an offer');
    return;
  }
  const b = session.createPeerConnection();
  let remote: DataChannel | null = null;
  b.connect('data_channel_received', (c) => (remote = c));
  wire(pc, b);
  expect(pc.createOffer()).toBe(GodotError.OK);
  await pollUntil([pc, b], () => ch!.getReadyState() === ChannelState.STATE_OPEN && remote !== null, 5000, 'the channel to open');
}

const stun = (urls: unknown, extra: Record<string, unknown> = {}) => ({ iceServers: [{ urls, ...extra }] });
const ldc = (values: Record<string, unknown>) => ({ libdatachannel: { bindAddress: '127.0.0.1', ...values } });

/** [what, configuration, key the error line must name] */
const BAD_CONFIGS: Array<[string, unknown, string]> = [
  ['configuration is an int', 5, 'configuration'],
  ['configuration is a String', 'stun:x', 'configuration'],
  ['configuration is an Array', [], 'configuration'],
  ['iceServers is a String', { iceServers: 'stun:example.org' }, 'iceServers'],
  ['iceServers is a Dictionary', { iceServers: { urls: 'stun:x' } }, 'iceServers'],
  ['iceServers entry is an int', { iceServers: [5] }, 'iceServers[0]'],
  ['iceServers entry is a String', { iceServers: ['stun:x'] }, 'iceServers[0]'],
  ['urls missing', { iceServers: [{}] }, 'iceServers[0].urls'],
  ['urls is an int', stun(5), 'iceServers[0].urls'],
  ['urls is empty', stun([]), 'iceServers[0].urls'],
  ['urls entry is an int', stun(['stun:a.example', 5]), 'iceServers[0].urls[1]'],
  ['url scheme http', stun('http://example.org'), 'iceServers[0].urls'],
  ['url with //', stun('stun://example.org'), 'iceServers[0].urls'],
  ['url without host', stun('stun:'), 'iceServers[0].urls'],
  ['url port 0', stun('stun:example.org:0'), 'iceServers[0].urls'],
  ['url port 70000', stun('stun:example.org:70000'), 'iceServers[0].urls'],
  ['url port text', stun('stun:example.org:abc'), 'iceServers[0].urls'],
  ['url bad host', stun('stun:bad_host!'), 'iceServers[0].urls'],
  ['url IPv6 without brackets', stun('stun:::1'), 'iceServers[0].urls'],
  ['url unclosed bracket', stun('stun:[::1'), 'iceServers[0].urls'],
  ['url query on stun', stun('stun:example.org?transport=udp'), 'iceServers[0].urls'],
  ['url unknown transport', stun('turn:example.org?transport=sctp', { username: 'u', credential: 'c' }), 'iceServers[0].urls'],
  ['turn without credentials', stun('turn:example.org'), 'iceServers[0].urls'],
  ['turns over udp', stun('turns:example.org?transport=udp', { username: 'u', credential: 'c' }), 'iceServers[0].urls'],
  ['username is an int', stun('turn:example.org', { username: 5, credential: 'c' }), 'iceServers[0].username'],
  ['credential is an Array', stun('turn:example.org', { username: 'u', credential: [] }), 'iceServers[0].credential'],
  ['iceTransportPolicy is an int', { iceTransportPolicy: 1 }, 'iceTransportPolicy'],
  ['iceTransportPolicy unknown', { iceTransportPolicy: 'none' }, 'iceTransportPolicy'],
  ['libdatachannel is an int', { libdatachannel: 5 }, 'libdatachannel'],
  ['enableIceTcp is a String', ldc({ enableIceTcp: 'yes' }), 'libdatachannel.enableIceTcp'],
  ['enableIceUdpMux is an int', ldc({ enableIceUdpMux: 1 }), 'libdatachannel.enableIceUdpMux'],
  ['portRangeBegin negative', ldc({ portRangeBegin: -1 }), 'libdatachannel.portRangeBegin'],
  ['portRangeBegin 0', ldc({ portRangeBegin: 0 }), 'libdatachannel.portRangeBegin'],
  ['portRangeBegin float', ldc({ portRangeBegin: 1.5 }), 'libdatachannel.portRangeBegin'],
  ['portRangeBegin String', ldc({ portRangeBegin: '1000' }), 'libdatachannel.portRangeBegin'],
  ['portRangeEnd 70000', ldc({ portRangeEnd: 70000 }), 'libdatachannel.portRangeEnd'],
  ['port range inverted', ldc({ portRangeBegin: 6000, portRangeEnd: 5000 }), 'libdatachannel.portRangeBegin'],
  ['mtu below 576', ldc({ mtu: 100 }), 'libdatachannel.mtu'],
  ['mtu above 65535', ldc({ mtu: 70000 }), 'libdatachannel.mtu'],
  ['mtu String', ldc({ mtu: '1500' }), 'libdatachannel.mtu'],
  ['bindAddress an int', ldc({ bindAddress: 5 }), 'libdatachannel.bindAddress'],
  ['bindAddress a host name', ldc({ bindAddress: 'localhost' }), 'libdatachannel.bindAddress'],
  ['bindAddress out of range', ldc({ bindAddress: '999.1.1.1' }), 'libdatachannel.bindAddress'],
  ['maxMessageSize 0', ldc({ maxMessageSize: 0 }), 'libdatachannel.maxMessageSize'],
  ['maxMessageSize above 256 KiB', ldc({ maxMessageSize: 300000 }), 'libdatachannel.maxMessageSize'],
  ['maxMessageSize String', ldc({ maxMessageSize: 'big' }), 'libdatachannel.maxMessageSize'],
];

/** [what, label, options, key the error line must name] */
const BAD_CHANNELS: Array<[string, string, unknown, string]> = [
  ['options is an int', 'x', 5, 'options'],
  ['negotiated is a String', 'x', { negotiated: 'true', id: 1 }, 'negotiated'],
  ['negotiated is an int', 'x', { negotiated: 1, id: 1 }, 'negotiated'],
  ['negotiated without id', 'x', { negotiated: true }, 'id'],
  ['id negative', 'x', { negotiated: true, id: -1 }, 'id'],
  ['id 65535', 'x', { negotiated: true, id: 65535 }, 'id'],
  ['id 70000', 'x', { negotiated: true, id: 70000 }, 'id'],
  ['id float', 'x', { negotiated: true, id: 1.5 }, 'id'],
  ['id String', 'x', { negotiated: true, id: '3' }, 'id'],
  ['ordered is a String', 'x', { ordered: 'no' }, 'ordered'],
  ['ordered is an int', 'x', { ordered: 0 }, 'ordered'],
  ['maxPacketLifeTime negative', 'x', { maxPacketLifeTime: -1 }, 'maxPacketLifeTime'],
  ['maxPacketLifeTime 65536', 'x', { maxPacketLifeTime: 65536 }, 'maxPacketLifeTime'],
  ['maxPacketLifeTime String', 'x', { maxPacketLifeTime: '5' }, 'maxPacketLifeTime'],
  ['maxPacketLifeTime float', 'x', { maxPacketLifeTime: 1.5 }, 'maxPacketLifeTime'],
  ['maxPacketLifetime negative', 'x', { maxPacketLifetime: -1 }, 'maxPacketLifetime'],
  ['maxRetransmits negative', 'x', { maxRetransmits: -1 }, 'maxRetransmits'],
  ['maxRetransmits 70000', 'x', { maxRetransmits: 70000 }, 'maxRetransmits'],
  ['maxRetransmits a bool', 'x', { maxRetransmits: true }, 'maxRetransmits'],
  ['lifetime and retransmits together', 'x', { maxPacketLifeTime: 100, maxRetransmits: 1 }, 'maxRetransmits'],
  ['both lifetime spellings, different values', 'x', { maxPacketLifeTime: 100, maxPacketLifetime: 200 }, 'maxPacketLifeTime'],
  ['protocol is an int', 'x', { protocol: 5 }, 'protocol'],
  ['protocol over 65535 bytes', 'x', { protocol: 'p'.repeat(65536) }, 'protocol'],
  ['label over 65535 bytes', 'é'.repeat(32768), {}, 'label'],
  ['id above what the stack supports', 'x', { negotiated: true, id: 5000 }, 'stream id'],
];

const SDP_OK_SHAPE = ['v=0', 'o=- 1 0 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0'];
/** [what, type, sdp] */
const BAD_REMOTE: Array<[string, string, string]> = [
  ['empty SDP', 'offer', ''],
  ['not SDP', 'offer', 'hello world'],
  ['only v=0', 'offer', 'v=0\r\n'],
  ['NUL bytes', 'offer', 'v=0\r\n\u0000\u0000'],
  ['a megabyte of junk', 'offer', `v=0\r\n${'x'.repeat(1 << 20)}`],
  ['bad m= line', 'offer', 'v=0\r\nm=application\r\na=ice-ufrag:a\r\na=ice-pwd:b\r\na=fingerprint:sha-256 00'],
  ['no ice-ufrag', 'offer', [...SDP_OK_SHAPE, 'a=ice-pwd:b', 'a=fingerprint:sha-256 00'].join('\r\n')],
  ['no fingerprint', 'offer', [...SDP_OK_SHAPE, 'a=ice-ufrag:a', 'a=ice-pwd:b'].join('\r\n')],
  ['unknown type', 'banana', [...SDP_OK_SHAPE, 'a=ice-ufrag:a', 'a=ice-pwd:b', 'a=fingerprint:sha-256 00'].join('\r\n')],
  ['pranswer', 'pranswer', [...SDP_OK_SHAPE, 'a=ice-ufrag:a', 'a=ice-pwd:b', 'a=fingerprint:sha-256 00'].join('\r\n')],
  ['an answer in STABLE', 'answer', [...SDP_OK_SHAPE, 'a=ice-ufrag:a', 'a=ice-pwd:b', 'a=fingerprint:sha-256 00'].join('\r\n')],
];

const BAD_CANDIDATES: Array<[string, string]> = [
  ['garbage', 'garbage'],
  ['prefix only', 'candidate:'],
  ['too few fields', 'candidate:1 1 udp 1 127.0.0.1 9'],
  ['unknown transport', 'candidate:1 1 sctp 1 127.0.0.1 9 typ host'],
  ['port 70000', 'candidate:1 1 udp 1 127.0.0.1 70000 typ host'],
  ['priority text', 'candidate:1 1 udp x 127.0.0.1 9 typ host'],
  ['no typ', 'candidate:1 1 udp 1 127.0.0.1 9 type host'],
  ['unknown type', 'candidate:1 1 udp 1 127.0.0.1 9 typ foo'],
  ['bad address', 'candidate:1 1 udp 1 bad_address! 9 typ host'],
  ['component 0', 'candidate:1 0 udp 1 127.0.0.1 9 typ host'],
  ['bad foundation', 'candidate:#! 1 udp 1 127.0.0.1 9 typ host'],
];

describe.each([fakeTransport, ndcTransport].map((t) => [t.name, t] as const))('bad input on %s', (_name, transport) => {
  it.each(BAD_CONFIGS)('initialize(): %s → ERR_INVALID_PARAMETER naming the key', async (_what, config, key) => {
    const { session, pc, logs } = setup(transport);
    expect(pc.initialize(config)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.level).toBe('error');
    expect(logs[0]!.message).toContain(`"${key}"`);
    expect(pc.initialize(LOOPBACK)).toBe(GodotError.OK);
    await stillWorks(session, pc, transport);
  });

  it.each(BAD_CHANNELS)('create_data_channel(): %s → null naming the key', async (_what, label, options, key) => {
    const { session, pc, logs } = setup(transport);
    pc.initialize(LOOPBACK);
    expect(pc.createDataChannel(label, options)).toBeNull();
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(logs[0]!.message).toContain(key);
    await stillWorks(session, pc, transport);
  });

  it('create_data_channel(): the edges that are valid', () => {
    const { pc, logs } = setup(transport);
    pc.initialize(LOOPBACK);
    expect(pc.createDataChannel('é'.repeat(32767) + 'x')).not.toBeNull();
    expect(pc.createDataChannel('a', { negotiated: true, id: 0 })).not.toBeNull();
    expect(pc.createDataChannel('b', { negotiated: true, id: 1023 })).not.toBeNull();
    expect(pc.createDataChannel('c', { maxPacketLifeTime: 0 })).not.toBeNull();
    expect(pc.createDataChannel('d', { maxRetransmits: 65535 })).not.toBeNull();
    expect(pc.createDataChannel('e', { maxPacketLifeTime: 7, maxPacketLifetime: 7 })).not.toBeNull();
    expect(logs).toEqual([]);
    // An id without negotiated is ignored with a warning, as browsers do.
    const f = pc.createDataChannel('f', { id: 5 });
    expect(f).not.toBeNull();
    expect(f!.isNegotiated()).toBe(false);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.level).toBe('warning');
  });

  it.each(BAD_REMOTE)('set_remote_description(): %s → ERR_INVALID_PARAMETER, state unchanged', async (_what, type, sdp) => {
    const { session, pc, logs } = setup(transport);
    pc.initialize(LOOPBACK);
    expect(pc.setRemoteDescription(type, sdp)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(1);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    await stillWorks(session, pc, transport);
  });

  it.each(BAD_CANDIDATES)('add_ice_candidate(): %s → ERR_INVALID_PARAMETER', async (_what, candidate) => {
    const { session, pc, logs } = setup(transport);
    pc.initialize(LOOPBACK);
    expect(pc.addIceCandidate('0', 0, candidate)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(1);
    await stillWorks(session, pc, transport);
  });

  it('add_ice_candidate(): a negative index, an unknown mid or m-line → ERR_INVALID_PARAMETER', async () => {
    const { session, logs } = setup(transport);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    a.createDataChannel('x');
    const offer = await makeOffer(a);
    expect(b.setRemoteDescription('offer', offer)).toBe(GodotError.OK);
    const line = 'candidate:1 1 udp 2122317823 127.0.0.1 9 typ host';
    expect(b.addIceCandidate('0', -1, line)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(b.addIceCandidate('nope', 0, line)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(b.addIceCandidate('', 5, line)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(3);
    expect(b.addIceCandidate('', 0, line)).toBe(GodotError.OK);
  });

  it('calls in the wrong state are Errors, never crashes', async () => {
    const { session, pc, logs } = setup(transport);
    pc.initialize(LOOPBACK);
    expect(pc.setLocalDescription('offer', 'v=0')).toBe(GodotError.FAILED);
    pc.createDataChannel('x');
    const offer = await makeOffer(pc, false);
    expect(pc.setLocalDescription('offer', offer)).toBe(GodotError.OK);
    expect(pc.setRemoteDescription('offer', offer)).toBe(GodotError.ERR_INVALID_PARAMETER); // glare
    expect(pc.createOffer()).toBe(GodotError.FAILED);
    pc.close();
    expect(pc.createOffer()).toBe(GodotError.FAILED);
    expect(pc.setLocalDescription('offer', offer)).toBe(GodotError.FAILED);
    expect(pc.setRemoteDescription('answer', offer)).toBe(GodotError.FAILED);
    expect(pc.addIceCandidate('0', 0, 'candidate:1 1 udp 1 127.0.0.1 9 typ host')).toBe(GodotError.FAILED);
    expect(pc.createDataChannel('y')).toBeNull();
    expect(logs).toHaveLength(8);
    expect(logs.every((l) => l.level === 'error')).toBe(true);
    await stillWorks(session, pc, transport);
  });

  it('set_write_mode(): a value that is not a WriteMode is refused with one line', () => {
    const { pc, logs } = setup(transport);
    const ch = pc.createDataChannel('x')!;
    ch.setWriteMode(5);
    expect(ch.getWriteMode()).toBe(WriteMode.WRITE_MODE_BINARY);
    expect(logs).toHaveLength(1);
    ch.setWriteMode(WriteMode.WRITE_MODE_TEXT);
    expect(ch.getWriteMode()).toBe(WriteMode.WRITE_MODE_TEXT);
  });
});
