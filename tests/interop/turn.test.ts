// Our peer connections against Debian's coturn on 127.0.0.1: TURN relaying
// with iceTransportPolicy "relay", wrong credentials, TURN over TCP and TLS
// URLs, and STUN. One coturn for the file, one account per test (coturn
// names the user in its log lines, so each test reads only its own).
import { afterAll, expect, it } from 'vitest';
import type { DataChannel } from '../../extension/src/api/data-channel.js';
import type { PeerConnection } from '../../extension/src/api/peer-connection.js';
import { Session } from '../../extension/src/api/session.js';
import { ChannelState, ConnectionState, GatheringState, GodotError } from '../../extension/src/godot/enums.generated.js';
import { type LogLine, collectLogs, pollUntil, wire } from '../../extension/src/testing/loopback.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';
import { candidateAddress, candidateType } from './browser-signalling.js';
import { Coturn } from './coturn.js';
import { Honeypot } from './honeypot.js';

const USERS = { relay: 'relay-secret', auth: 'auth-secret', tcp: 'tcp-secret', tls: 'tls-secret' } as const;
/** libjuice gives up on a checklist after about 40 s (its STUN retransmission schedule). */
const FAIL_WITHIN_MS = 50_000;

let server: Promise<Coturn> | undefined;
const honeypots: Honeypot[] = [];

/** Started on first use, inside a test, so a missing coturn fails each test with the reason. */
function coturn(): Promise<Coturn> {
  server ??= Coturn.start({ listen: ['127.0.0.1'], users: USERS });
  return server;
}

afterAll(async () => {
  await Promise.all(honeypots.map((h) => h.close()));
  await (await server?.catch(() => undefined))?.stop();
});

interface Trial {
  readonly session: Session;
  readonly a: PeerConnection;
  readonly b: PeerConnection;
  readonly channel: DataChannel;
  /** Candidate lines each side emitted through ice_candidate_created. */
  readonly candidates: { a: string[]; b: string[] };
  /** Every connection state the core reported for a, in order. */
  readonly statesA: ConnectionState[];
  readonly logs: LogLine[];
}

/** Two of our peers with `config`, wired to each other, a's offer sent. */
function trial(config: object): Trial {
  const { lines, logger } = collectLogs();
  const statesA: ConnectionState[] = [];
  let handleA = -1;
  const session = new Session({
    transport: ndcTransport,
    logger,
    tap: (event) => event.kind === 'connection-state' && event.pc === handleA && statesA.push(event.state),
  });
  const a = session.createPeerConnection();
  const b = session.createPeerConnection();
  handleA = a.handle;
  expect(a.initialize(config)).toBe(GodotError.OK);
  expect(b.initialize(config)).toBe(GodotError.OK);
  const candidates = { a: [] as string[], b: [] as string[] };
  a.connect('ice_candidate_created', (_m, _i, name) => candidates.a.push(name));
  b.connect('ice_candidate_created', (_m, _i, name) => candidates.b.push(name));
  const channel = a.createDataChannel('turn')!;
  wire(a, b);
  expect(a.createOffer()).toBe(GodotError.OK);
  return { session, a, b, channel, candidates, statesA, logs: lines };
}

function turnConfig(url: string, user: keyof typeof USERS, credential: string = USERS[user]) {
  return {
    iceServers: [{ urls: url, username: user, credential }],
    iceTransportPolicy: 'relay',
    libdatachannel: { bindAddress: '127.0.0.1' },
  };
}

it.concurrent('iceTransportPolicy "relay" on both peers: only relay candidates, and data crosses coturn both ways', async () => {
  const turn = await coturn();
  const t = trial(turnConfig(`turn:127.0.0.1:${turn.port}`, 'relay'));
  let remote: DataChannel | null = null;
  t.b.connect('data_channel_received', (ch) => (remote = ch));
  try {
    await pollUntil([t.a, t.b], () => t.channel.getReadyState() === ChannelState.STATE_OPEN && remote?.getReadyState() === ChannelState.STATE_OPEN, 15_000, 'the channel open through the relay');
    expect(t.channel.putPacket(Buffer.from('through the relay'))).toBe(GodotError.OK);
    expect(remote!.putPacket(Buffer.from('and back'))).toBe(GodotError.OK);
    await pollUntil([t.a, t.b], () => remote!.getAvailablePacketCount() > 0 && t.channel.getAvailablePacketCount() > 0, 10_000, 'a message each way');
    expect(Buffer.from(remote!.getPacket()).toString()).toBe('through the relay');
    expect(Buffer.from(t.channel.getPacket()).toString()).toBe('and back');
    // Every candidate either side announced is a relayed address on coturn.
    for (const lines of [t.candidates.a, t.candidates.b]) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.map(candidateType)).toEqual(lines.map(() => 'relay'));
      expect(lines.map(candidateAddress)).toEqual(lines.map(() => '127.0.0.1'));
    }
    // coturn saw one allocation per peer, and each peer let the other's relayed address in.
    const permissions = () => turn.linesFor('relay').filter((line) => line.includes('CREATE_PERMISSION processed, success')).length;
    await turn.waitForLog(() => permissions() >= 2, 5_000, 'a permission from each peer');
    expect(turn.allocations('relay')).toBe(2);
    expect(t.logs).toEqual([]);
  } finally {
    t.session.close();
  }
}, 30_000);

it.concurrent('wrong TURN credentials: coturn answers 401, no candidate is gathered, and each connection reports STATE_FAILED at once with one error line', async () => {
  const turn = await coturn();
  const started = Date.now();
  const t = trial(turnConfig(`turn:127.0.0.1:${turn.port}`, 'auth', 'not-the-password'));
  try {
    await pollUntil([t.a, t.b], () => t.a.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE && t.b.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE, 10_000, 'gathering COMPLETE');
    await turn.waitForLog((log) => log.includes('check_stun_auth: user auth credentials are incorrect'), 5_000, 'coturn to refuse the credentials');
    expect(turn.linesFor('auth').filter((line) => line.includes('error 401: Unauthorized')).length).toBeGreaterThan(0);
    await pollUntil([t.a, t.b], () => t.statesA.includes(ConnectionState.STATE_FAILED), 10_000, 'STATE_FAILED');
    const failedAfter = Date.now() - started;
    expect(t.candidates).toEqual({ a: [], b: [] });
    expect(turn.allocations('auth')).toBe(0);
    expect(t.statesA).not.toContain(ConnectionState.STATE_CONNECTED);
    // Relay-only with no relay candidate can never connect: the core says so
    // when gathering ends instead of waiting ~40 s for ICE to give up, and
    // FAILED stays (the stack's own close of the connection is not reported).
    expect(failedAfter).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(t.statesA.at(-1)).toBe(ConnectionState.STATE_FAILED);
    expect(t.a.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    const errors = t.logs.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors).toEqual([expect.stringMatching(/relay.*TURN server/), expect.stringMatching(/relay.*TURN server/)]);
  } finally {
    t.session.close();
  }
}, 30_000);

it.concurrent.each([
  ['TURN over TCP (turn:...?transport=tcp)', 'turn:127.0.0.1:PORT?transport=tcp', 'tcp', 'TCP'],
  ['TURN over TLS (turns:)', 'turns:127.0.0.1:PORT', 'tls', 'TLS'],
] as const)('%s: one warning at initialize, the server is never contacted over any transport, and relay-only fails at once', async (_name, url, user, transport) => {
  // The server is a port that counts TCP connections and UDP datagrams: a
  // fallback to UDP would show up as well as a TCP or TLS connection.
  const honeypot = await Honeypot.open();
  honeypots.push(honeypot);
  const t = trial(turnConfig(url.replace('PORT', String(honeypot.port)), user));
  try {
    expect(t.logs).toEqual([
      ...[0, 1].map(() => ({
        level: 'warning',
        message: `initialize: TURN over ${transport} (${url.split(':')[0]}:127.0.0.1) is not supported by libjuice and is ignored; only TURN over UDP relays`,
      })),
    ]);
    await pollUntil([t.a, t.b], () => t.a.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE && t.b.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE, 10_000, 'gathering COMPLETE');
    // Give any connection attempt time to show.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect({ tcp: honeypot.tcpConnections, udp: honeypot.udpDatagrams }).toEqual({ tcp: 0, udp: 0 });
    expect(t.candidates).toEqual({ a: [], b: [] });
    // Relay-only with no usable TURN server cannot connect: FAILED at once,
    // one error line per connection after the warnings.
    expect(t.a.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    expect(t.logs.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([
      expect.stringMatching(/relay.*TURN server/),
      expect.stringMatching(/relay.*TURN server/),
    ]);
  } finally {
    t.session.close();
  }
}, 20_000);

it.concurrent('STUN from coturn: a server-reflexive candidate, equal to the host candidate on loopback', async () => {
  const turn = await coturn();
  const t = trial({ iceServers: [{ urls: `stun:127.0.0.1:${turn.port}` }], libdatachannel: { bindAddress: '127.0.0.1' } });
  let remote: DataChannel | null = null;
  t.b.connect('data_channel_received', (ch) => (remote = ch));
  try {
    // The host pair may connect before the STUN answer is in: wait for the end of gathering too.
    const complete = (pc: PeerConnection) => pc.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE;
    await pollUntil([t.a, t.b], () => t.channel.getReadyState() === ChannelState.STATE_OPEN && remote?.getReadyState() === ChannelState.STATE_OPEN && complete(t.a) && complete(t.b), 15_000, 'the channel open and gathering COMPLETE');
    for (const lines of [t.candidates.a, t.candidates.b]) {
      const host = lines.filter((line) => candidateType(line) === 'host');
      const srflx = lines.filter((line) => candidateType(line) === 'srflx');
      expect(host).toHaveLength(1);
      expect(srflx).toHaveLength(1);
      // coturn saw the request come from 127.0.0.1:<the host port>: no NAT on
      // loopback, so the reflexive address is the host address itself.
      const where = (line: string) => line.split(/\s+/).slice(4, 6).join(':');
      expect(where(srflx[0]!)).toBe(where(host[0]!));
      expect(candidateAddress(srflx[0]!)).toBe('127.0.0.1');
      // libjuice does not reveal the base: raddr 0.0.0.0 rport 0.
      expect(srflx[0]).toMatch(/ raddr 0\.0\.0\.0 rport 0$/);
    }
  } finally {
    t.session.close();
  }
}, 30_000);
