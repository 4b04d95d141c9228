// docs/semantics.md, "WebRTCPeerConnection": one named test per row, against every subject
// (extension/src/testing/subjects.ts): the facade on the fake stack, the facade on
// node-datachannel on loopback, and the C client Godot runs, with the real worker.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelState, ConnectionState, GatheringState, GodotError, SignalingState } from '../godot/enums.generated.js';
import { capturing } from '../testing/capturing-transport.js';
import { lateConnectionStates } from '../testing/reordering-transport.js';
import { LOOPBACK, makeOffer, openPair, pollUntil, wire } from '../testing/loopback.js';
import type { RtcChannel, RtcSession, TapEvent } from '../testing/rtc-shape.js';
import { SUBJECTS, countStackPeers, itOnTransport, sessionsOf } from '../testing/subjects.js';
import { OFFER_CANDIDATE_GATE_MS, OFFER_UNANSWERED_GATE_MS } from '../core/core-peer.js';

const sessions: RtcSession[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
});

const newSession = sessionsOf(sessions);
const PLAYS_THE_STACK = 'plays the stack through the capturing transport';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SUBJECTS)('WebRTCPeerConnection on %s', (_name, subject) => {
  it('new(): state NEW, nothing created in the stack', () => {
    const stack = countStackPeers(subject);
    const { session } = newSession(subject, stack.options);
    const pc = session.createPeerConnection();
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_NEW);
    expect(pc.getGatheringState()).toBe(GatheringState.GATHERING_STATE_NEW);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(stack.created()).toBe(0);
    expect(pc.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(stack.created()).toBe(1);
  });

  it('initialize(): closes what was active and returns to STATE_NEW', async () => {
    const { session } = newSession(subject);
    const { a, b, channel, remote, unwire } = await openPair(session);
    unwire();
    expect(a.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_NEW);
    expect(a.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(a.getGatheringState()).toBe(GatheringState.GATHERING_STATE_NEW);
    expect(channel.getReadyState()).toBe(ChannelState.STATE_CLOSED);
    await pollUntil([a, b], () => remote.getReadyState() === ChannelState.STATE_CLOSED, 10_000, 'the remote end to see the close');
    // The re-initialized connection works from scratch.
    const b2 = session.createPeerConnection();
    expect(b2.initialize(LOOPBACK)).toBe(GodotError.OK);
    const c = a.createDataChannel('again');
    let got: RtcChannel | null = null;
    b2.connect('data_channel_received', (ch) => (got = ch));
    wire(a, b2);
    expect(a.createOffer()).toBe(GodotError.OK);
    await pollUntil([a, b2], () => c?.getReadyState() === ChannelState.STATE_OPEN && got !== null);
  });

  it('initialize(): unknown keys are ignored', () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    expect(pc.initialize({ ...LOOPBACK, bundlePolicy: 'max-bundle', somethingElse: [1, 2] })).toBe(GodotError.OK);
    expect(logs).toEqual([]);
  });

  it('create_data_channel(): allowed in STATE_NEW without initialize()', () => {
    const { session } = newSession(subject);
    const pc = session.createPeerConnection();
    const ch = pc.createDataChannel('no-init');
    expect(ch).not.toBeNull();
    expect(ch!.getReadyState()).toBe(ChannelState.STATE_CONNECTING);
  });

  it('create_data_channel(): once connected, an in-band channel opens over the existing association', async () => {
    const { session } = newSession(subject);
    const { a, b } = await openPair(session);
    const received: RtcChannel[] = [];
    b.connect('data_channel_received', (ch) => received.push(ch));
    const late = a.createDataChannel('late', { protocol: 'p' });
    expect(late).not.toBeNull();
    await pollUntil([a, b], () => late!.getReadyState() === ChannelState.STATE_OPEN && received.length === 1);
    expect(received[0]!.getLabel()).toBe('late');
    expect(late!.isNegotiated()).toBe(false);
    expect(received[0]!.isNegotiated()).toBe(false);
  });

  it('create_data_channel(): two negotiated channels with one id on one connection: null', () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    expect(pc.createDataChannel('x', { negotiated: true, id: 7 })).not.toBeNull();
    expect(pc.createDataChannel('y', { negotiated: true, id: 7 })).toBeNull();
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(logs[0]!.message).toContain('id 7');
    expect(pc.createDataChannel('z', { negotiated: true, id: 8 })).not.toBeNull();
  });

  it('create_data_channel(): on a CLOSED connection: null', () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.close();
    expect(pc.createDataChannel('x')).toBeNull();
    expect(logs).toHaveLength(1);
  });

  itOnTransport(subject, 'create_data_channel(): on a FAILED connection: null', PLAYS_THE_STACK, async (transport) => {
    const spy = capturing(transport);
    const { session } = newSession(subject, { transport: spy });
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    const ch = pc.createDataChannel('x');
    pc.connect('session_description_created', (type, sdp) => pc.setLocalDescription(type, sdp));
    pc.createOffer();
    await pollUntil([pc], () => pc.getSignalingState() === SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER);
    spy.handlers[0]!.stateChange('failed');
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    expect(pc.createDataChannel('y')).toBeNull();
    expect(ch).not.toBeNull();
  });

  itOnTransport(subject, 'FAILED stays FAILED when the stack then closes the connection, with one error line', PLAYS_THE_STACK, async (transport) => {
    const spy = capturing(transport);
    const { session, logs } = newSession(subject, { transport: spy });
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    await makeOffer(pc);
    spy.handlers[0]!.stateChange('failed');
    spy.handlers[0]!.stateChange('closed');
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    expect(logs.map((l) => `${l.level}: ${l.message}`)).toEqual([expect.stringMatching(/^error: the peer connection FAILED/)]);
    pc.close();
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_CLOSED);
  });

  itOnTransport(subject, 'relay policy with no relay candidate: FAILED at once with one line naming the TURN server', PLAYS_THE_STACK, async (transport) => {
    const spy = capturing(transport);
    const { session, logs } = newSession(subject, { transport: spy });
    const pc = session.createPeerConnection();
    const relayOnly = { ...LOOPBACK, iceTransportPolicy: 'relay', iceServers: [{ urls: 'turn:127.0.0.1:9', username: 'u', credential: 'wrong' }] };
    expect(pc.initialize(relayOnly)).toBe(GodotError.OK);
    pc.createDataChannel('x');
    // Play the stack: an offer, then gathering that ends with no candidate.
    const h = spy.handlers[0]!;
    const sdp = ['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', 'a=ice-ufrag:u', 'a=ice-pwd:p', 'a=fingerprint:sha-256 00', ''].join('\r\n');
    h.localDescription('offer', sdp);
    pc.poll();
    expect(pc.setLocalDescription('offer', sdp)).toBe(GodotError.OK);
    h.gatheringStateChange('in-progress');
    h.gatheringStateChange('complete');
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    const errors = logs.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/relay.*TURN server/);
  });

  it('create_offer(): OK, and the offer arrives from a later poll()', async () => {
    const { session } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    const offers: string[] = [];
    pc.connect('session_description_created', (type, sdp) => offers.push(`${type}:${sdp.slice(0, 3)}`));
    expect(pc.createOffer()).toBe(GodotError.OK);
    expect(offers).toEqual([]);
    await pollUntil([pc], () => offers.length === 1);
    expect(offers[0]).toBe('offer:v=0');
  });

  it('create_offer(): without a data channel: ERR_UNCONFIGURED', () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    expect(pc.createOffer()).toBe(GodotError.ERR_UNCONFIGURED);
    expect(logs).toHaveLength(1);
    pc.createDataChannel('x');
    expect(pc.createOffer()).toBe(GodotError.OK);
  });

  it('create_offer(): outside STATE_NEW / STABLE: an Error, not a crash', async () => {
    const { session, logs } = newSession(subject);
    const { a } = await openPair(session);
    expect(a.createOffer()).toBe(GodotError.FAILED);
    expect(logs.map((l) => l.message)).toEqual([expect.stringContaining('create_offer: only a new connection')]);
    a.close();
    expect(a.createOffer()).toBe(GodotError.FAILED);
  });

  it('set_local_description(): no ice_candidate_created before it, candidates after it', async () => {
    const { session } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    let offer: [string, string] | undefined;
    const candidates: Array<[string, number, string]> = [];
    pc.connect('session_description_created', (type, sdp) => (offer = [type, sdp]));
    pc.connect('ice_candidate_created', (m, i, n) => candidates.push([m, i, n]));
    pc.createOffer();
    await pollUntil([pc], () => offer !== undefined);
    await wait(300); // the stack gathers meanwhile
    pc.poll();
    expect(candidates).toEqual([]);
    expect(pc.getGatheringState()).toBe(GatheringState.GATHERING_STATE_NEW);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(pc.getConnectionState()).toBe(ConnectionState.STATE_NEW);
    expect(pc.setLocalDescription(...offer!)).toBe(GodotError.OK);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER);
    await pollUntil([pc], () => candidates.length > 0 && pc.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE);
    expect(candidates[0]![2]).toMatch(/^(a=)?candidate:/);
  });

  it('set_local_description(): nothing pending, another type, or munged SDP is an Error', async () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    expect(pc.setLocalDescription('offer', 'v=0\r\n')).toBe(GodotError.FAILED);
    const offer = await makeOffer(pc, false);
    expect(pc.setLocalDescription('answer', offer)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(pc.setLocalDescription('pranswer', offer)).toBe(GodotError.ERR_INVALID_PARAMETER);
    const munged = offer.replace(/a=mid:(\S+)/, 'a=mid:munged');
    expect(pc.setLocalDescription('offer', munged)).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs.at(-1)!.message).toContain('SDP munging is unsupported');
    expect(logs).toHaveLength(4);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    // Line endings and trailing white space are not munging.
    expect(pc.setLocalDescription('offer', `${offer.replace(/\r\n/g, '\n').replace(/\n/g, '  \n')}\n\n`)).toBe(GodotError.OK);
    expect(pc.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_HAVE_LOCAL_OFFER);
  });

  it('set_remote_description(): an offer gives HAVE_REMOTE_OFFER, then the answer from a later poll()', async () => {
    const { session } = newSession(subject);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    a.createDataChannel('x');
    const answers: string[] = [];
    b.connect('session_description_created', (t) => answers.push(t));
    const offer = await makeOffer(a);
    expect(b.setRemoteDescription('offer', offer)).toBe(GodotError.OK);
    expect(b.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_HAVE_REMOTE_OFFER);
    expect(answers).toEqual([]);
    await pollUntil([b], () => answers.length === 1);
    expect(answers).toEqual(['answer']);
  });

  it('set_remote_description(): an answer gives STABLE and the connection proceeds', async () => {
    const { session } = newSession(subject);
    const { a, b } = await openPair(session);
    expect(a.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(b.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_CONNECTED);
  });

  it('set_remote_description(): malformed SDP, unknown type, or a type the state does not allow: ERR_INVALID_PARAMETER, state unchanged', async () => {
    const { session, logs } = newSession(subject);
    const a = session.createPeerConnection();
    a.initialize(LOOPBACK);
    expect(a.setRemoteDescription('offer', 'hello')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(a.setRemoteDescription('banana', 'v=0')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(a.setRemoteDescription('answer', 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-ufrag:x\r\na=ice-pwd:y\r\na=fingerprint:sha-256 00\r\n')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(3);
    expect(a.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_STABLE);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_NEW);
  });

  it('add_ice_candidate(): candidates that arrive before the remote description are held', async () => {
    const { session } = newSession(subject);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    const ch = a.createDataChannel('x');
    let got: RtcChannel | null = null;
    b.connect('data_channel_received', (c) => (got = c));
    // A signalling path that reorders: a's candidates reach b before a's offer.
    let offer = '';
    const early: Array<[string, number, string]> = [];
    a.connect('session_description_created', (t, sdp) => {
      a.setLocalDescription(t, sdp);
      offer = sdp;
    });
    a.connect('ice_candidate_created', (m, i, n) => {
      if (offer === 'sent') expect(b.addIceCandidate(m, i, n)).toBe(GodotError.OK);
      else early.push([m, i, n]);
    });
    b.connect('session_description_created', (t, sdp) => {
      b.setLocalDescription(t, sdp);
      a.setRemoteDescription(t, sdp);
    });
    b.connect('ice_candidate_created', (m, i, n) => a.addIceCandidate(m, i, n));
    a.createOffer();
    await pollUntil([a], () => offer !== '' && a.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE);
    a.poll(); // candidates released by set_local_description come out at the next poll
    expect(early.length).toBeGreaterThan(0);
    for (const c of early) expect(b.addIceCandidate(...c)).toBe(GodotError.OK);
    expect(b.setRemoteDescription('offer', offer)).toBe(GodotError.OK);
    offer = 'sent';
    await pollUntil([a, b], () => ch?.getReadyState() === ChannelState.STATE_OPEN && got !== null);
  });

  it('add_ice_candidate(): malformed candidate is ERR_INVALID_PARAMETER; an empty one means end of candidates', () => {
    const { session, logs } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    expect(pc.addIceCandidate('0', 0, 'not a candidate')).toBe(GodotError.ERR_INVALID_PARAMETER);
    expect(logs).toHaveLength(1);
    expect(pc.addIceCandidate('0', 0, '')).toBe(GodotError.OK);
    expect(logs).toHaveLength(1);
  });

  it('poll(): signals come out in the order they happened, on the caller, and never earlier', async () => {
    const { session } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    const order: string[] = [];
    pc.connect('session_description_created', (t, sdp) => {
      order.push(`description:${t}`);
      pc.setLocalDescription(t, sdp);
    });
    pc.connect('ice_candidate_created', () => order.push('candidate'));
    pc.createOffer();
    await wait(200);
    expect(order).toEqual([]);
    await pollUntil([pc], () => pc.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE && order.length >= 2);
    expect(order[0]).toBe('description:offer');
    expect(order.slice(1).every((o) => o === 'candidate')).toBe(true);
    expect(pc.poll()).toBe(GodotError.OK);
  });

  it('close(): synchronously CLOSED, every channel CLOSED, no signal after it; reusable after initialize()', async () => {
    const { session } = newSession(subject);
    const { a, b, channel, remote } = await openPair(session);
    const late: string[] = [];
    a.connect('data_channel_received', () => late.push('received'));
    b.createDataChannel('from-b'); // would announce to a
    a.close();
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_CLOSED);
    expect(a.getSignalingState()).toBe(SignalingState.SIGNALING_STATE_CLOSED);
    expect(channel.getReadyState()).toBe(ChannelState.STATE_CLOSED);
    await pollUntil([a, b], () => remote.getReadyState() === ChannelState.STATE_CLOSED);
    await wait(100);
    a.poll();
    expect(late).toEqual([]);
    expect(a.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_NEW);
    expect(a.createDataChannel('again')).not.toBeNull();
  });

  it('freeing the last reference closes the connection', async () => {
    const { session } = newSession(subject);
    const { a, b, remote } = await openPair(session);
    a.dispose();
    await pollUntil([b], () => remote.getReadyState() === ChannelState.STATE_CLOSED);
  });

  it('get_connection_state() / get_gathering_state(): NEW → CONNECTING → CONNECTED, NEW → GATHERING → COMPLETE', async () => {
    const events: TapEvent[] = [];
    const { session } = newSession(subject, { tap: (e) => events.push(e) });
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    const ch = a.createDataChannel('x');
    b.connect('data_channel_received', () => undefined);
    wire(a, b);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_NEW);
    a.createOffer();
    await pollUntil([a, b], () => ch?.getReadyState() === ChannelState.STATE_OPEN && a.getGatheringState() === GatheringState.GATHERING_STATE_COMPLETE);
    const of = (kind: string) => events.filter((e) => e.kind === kind && e.pc === a.handle).map((e) => ('state' in e ? e.state : -1));
    expect(of('connection-state')).toEqual([ConnectionState.STATE_CONNECTING, ConnectionState.STATE_CONNECTED]);
    expect(of('gathering-state')).toEqual([GatheringState.GATHERING_STATE_GATHERING, GatheringState.GATHERING_STATE_COMPLETE]);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_CONNECTED);
  });

  itOnTransport(subject, 'a channel is never OPEN while its connection says otherwise, whatever order the stack reports them in', 'reorders the stack\'s reports with a transport wrapper', async (transport) => {
    const { session } = newSession(subject, { transport: lateConnectionStates(transport) });
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    const ch = a.createDataChannel('x')!;
    let remote: RtcChannel | null = null;
    b.connect('data_channel_received', (c) => (remote = c));
    wire(a, b);
    a.createOffer();
    const seen: string[] = [];
    await pollUntil([a, b], () => {
      for (const [pc, c] of [[a, ch], [b, remote]] as const) {
        if (c?.getReadyState() === ChannelState.STATE_OPEN && pc.getConnectionState() !== ConnectionState.STATE_CONNECTED) seen.push(`open on ${pc.getConnectionState()}`);
      }
      return ch.getReadyState() === ChannelState.STATE_OPEN && (remote as RtcChannel | null)?.getReadyState() === ChannelState.STATE_OPEN;
    });
    expect(seen).toEqual([]);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_CONNECTED);
  });

  itOnTransport(subject, 'ice_candidate_created carries the true m-line index', PLAYS_THE_STACK, async (transport) => {
    const spy = capturing(transport);
    const { session } = newSession(subject, { transport: spy });
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    const got: Array<[string, number]> = [];
    pc.connect('ice_candidate_created', (m, i) => got.push([m, i]));
    const h = spy.handlers[0]!;
    // The stack announces a description with two m-lines, then candidates for each.
    const fingerprint = `a=fingerprint:sha-256 ${Array(32).fill('AB').join(':')}`;
    const sdp = ['v=0', 'o=- 1 0 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 0.0.0.0', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:audio',
      'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:data', 'a=ice-ufrag:Qx7v', 'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe', fingerprint, ''].join('\r\n');
    pc.createDataChannel('x');
    h.localDescription('offer', sdp);
    pc.poll();
    expect(pc.setLocalDescription('offer', sdp)).toBe(GodotError.OK);
    h.localCandidate('candidate:1 1 UDP 1 127.0.0.1 9 typ host', 'data');
    h.localCandidate('candidate:1 1 UDP 1 127.0.0.1 9 typ host', 'audio');
    pc.poll();
    expect(got).toEqual([['data', 1], ['audio', 0]]);
  });

  it('data_channel_received: once per in-band channel the remote opens, never for negotiated ones', async () => {
    const { session } = newSession(subject);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    const labels: string[] = [];
    b.connect('data_channel_received', (ch) => labels.push(ch.getLabel()));
    const one = a.createDataChannel('one');
    const two = a.createDataChannel('two');
    const negA = a.createDataChannel('neg', { negotiated: true, id: 100 });
    const negB = b.createDataChannel('neg', { negotiated: true, id: 100 });
    wire(a, b);
    a.createOffer();
    const open = (c: RtcChannel | null) => c?.getReadyState() === ChannelState.STATE_OPEN;
    await pollUntil([a, b], () => open(one) && open(two) && open(negA) && open(negB) && labels.length === 2);
    await wait(50);
    b.poll();
    expect(labels.sort()).toEqual(['one', 'two']);
  });

  it('a received channel closes when the script drops its last reference', async () => {
    const { session } = newSession(subject);
    const { a, b, channel, remote } = await openPair(session);
    remote.dispose();
    await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_CLOSED);
  });
});

describe.each(SUBJECTS)('the offerer candidate gate on %s', (_name, subject) => {
  it(`holds the offerer's candidates ${OFFER_UNANSWERED_GATE_MS} ms when no answer comes back`, async () => {
    const { session } = newSession(subject);
    const pc = session.createPeerConnection();
    pc.initialize(LOOPBACK);
    pc.createDataChannel('x');
    let firstCandidateAt = 0;
    pc.connect('session_description_created', (t, sdp) => pc.setLocalDescription(t, sdp));
    pc.connect('ice_candidate_created', () => (firstCandidateAt ||= performance.now()));
    const t0 = performance.now();
    expect(pc.createOffer()).toBe(GodotError.OK);
    // Nobody answers, so ICE never connects: the gate opens on its timer.
    await pollUntil([pc], () => firstCandidateAt > 0);
    expect(firstCandidateAt - t0).toBeGreaterThanOrEqual(OFFER_UNANSWERED_GATE_MS - 5); // Node timers may fire ~1 ms early
  });

  // Only on the real stack: the fake connects ICE without candidates, so nothing is held.
  if (subject.real) it(`holds them at most ${OFFER_CANDIDATE_GATE_MS} ms from the answer and the last remote candidate (issue 10)`, async () => {
    const { session } = newSession(subject);
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    a.createDataChannel('x');
    let firstCandidateAt = 0;
    let answeredAt = 0;
    a.connect('ice_candidate_created', () => (firstCandidateAt ||= performance.now()));
    b.connect('session_description_created', (t, sdp) => {
      b.setLocalDescription(t, sdp);
      a.setRemoteDescription(t, sdp);
      answeredAt = performance.now();
    });
    // b's candidates never reach a and a's are held: ICE cannot connect, the timer opens the gate.
    b.setRemoteDescription('offer', await makeOffer(a));
    await pollUntil([a, b], () => firstCandidateAt > 0);
    expect(firstCandidateAt - answeredAt).toBeGreaterThanOrEqual(OFFER_CANDIDATE_GATE_MS - 5);
    expect(firstCandidateAt - answeredAt).toBeLessThan(OFFER_UNANSWERED_GATE_MS);
  });

  it('does not hold the answerer: its candidates follow its set_local_description', async () => {
    const events: Array<{ at: number; what: string }> = [];
    const { session } = newSession(subject, { tap: (e) => e.kind === 'candidate' && events.push({ at: performance.now(), what: `candidate ${e.pc}` }) });
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    a.initialize(LOOPBACK);
    b.initialize(LOOPBACK);
    a.createDataChannel('x');
    let answeredAt = 0;
    b.connect('session_description_created', (t, sdp) => {
      b.setLocalDescription(t, sdp);
      answeredAt = performance.now();
    });
    const offer = await makeOffer(a);
    b.setRemoteDescription('offer', offer);
    await pollUntil([b], () => answeredAt > 0 && events.some((e) => e.what === `candidate ${b.handle}`));
    const first = events.find((e) => e.what === `candidate ${b.handle}`)!;
    // Released by set_local_description itself, or as soon as gathered after it.
    expect(first.at - answeredAt).toBeLessThan(OFFER_CANDIDATE_GATE_MS);
  });
});
