// Issue 12 (diagnostics): why a connection FAILED is one error line, logged
// once as it reports STATE_FAILED, worded in core/failure-reason.ts; and how
// much the core and libdatachannel say (core/log-level.ts). Real
// node-datachannel, every address 127.0.0.1. TURN refusals are in
// tests/interop/turn.test.ts (they need coturn).
import { describe, expect, it, onTestFinished } from 'vitest';
import type { LogLevel } from '../core/events.js';
import { DEFAULT_LOG_LEVEL, parseLogLevel } from '../core/log-level.js';
import { ConnectionState, GodotError } from '../godot/enums.generated.js';
import { type LogLine, LOOPBACK, collectLogs, openPair, pollUntil } from '../testing/loopback.js';
import { STACK_LINES_PER_SECOND, ndcTransport } from '../transport/ndc-transport.js';
import type { PeerConnection } from './peer-connection.js';
import { Session } from './session.js';

interface Logged extends LogLine {
  readonly at: number;
}

function session(logLevel?: LogLevel): { session: Session; lines: Logged[] } {
  const lines: Logged[] = [];
  const s = new Session({
    transport: ndcTransport,
    logger: (level, message) => lines.push({ level, message, at: performance.now() }),
    ...(logLevel !== undefined ? { logLevel } : {}),
  });
  // Tests here run concurrently: each closes only its own sessions.
  onTestFinished(() => s.close());
  return { session: s, lines };
}

/**
 * a offers, b answers; `toB` and `toA` may change what travels (descriptions
 * and candidate lines), as a faulty signalling path would.
 */
function wireChanged(a: PeerConnection, b: PeerConnection, change: { description?: (sdp: string) => string; candidate?: (line: string) => string }): void {
  const link = (from: PeerConnection, to: PeerConnection, changeDescription: boolean) => {
    from.connect('session_description_created', (type, sdp) => {
      expect(from.setLocalDescription(type, sdp)).toBe(GodotError.OK);
      expect(to.setRemoteDescription(type, changeDescription && change.description ? change.description(sdp) : sdp)).toBe(GodotError.OK);
    });
    from.connect('ice_candidate_created', (media, index, name) => {
      expect(to.addIceCandidate(media, index, change.candidate ? change.candidate(name) : name)).toBe(GodotError.OK);
    });
  };
  link(a, b, true);
  link(b, a, false);
}

const errors = (lines: readonly LogLine[]) => lines.filter((l) => l.level === 'error').map((l) => l.message);
const failedLines = (lines: readonly LogLine[]) => errors(lines).filter((m) => m.startsWith('the peer connection FAILED'));

// One at a time: the stack's log is the process's, and its rate limit is shared.
describe('why a connection FAILED, on node-datachannel', () => {
  it('no candidate pair: every remote candidate points at a closed loopback port; one line with the candidates tried, once', async () => {
    const { session: s, lines } = session('warning');
    const a = s.createPeerConnection();
    const b = s.createPeerConnection();
    expect(a.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(b.initialize(LOOPBACK)).toBe(GodotError.OK);
    a.createDataChannel('x');
    // Port 9 (discard) on 127.0.0.1: nothing listens, every check goes unanswered.
    wireChanged(a, b, { candidate: (line) => line.replace(/^(\S+ \d+ \S+ \d+ 127\.0\.0\.1) \d+ /, '$1 9 ') });
    expect(a.createOffer()).toBe(GodotError.OK);
    // libjuice gives up on its checklist after about 40 s.
    await pollUntil([a, b], () => a.getConnectionState() === ConnectionState.STATE_FAILED && b.getConnectionState() === ConnectionState.STATE_FAILED, 55_000, 'both FAILED');
    await new Promise((r) => setTimeout(r, 500));
    for (const pc of [a, b]) pc.poll();
    const failed = failedLines(lines);
    expect(failed).toHaveLength(2);
    for (const line of failed) {
      expect(line).toBe('the peer connection FAILED: no ICE candidate pair succeeded; local candidates tried: 1 (1 host); remote candidates: 1 (1 host)');
    }
    expect(errors(lines)).toEqual(failed);
  }, 60_000);

  it('DTLS: a fingerprint changed on its way; the side that checks it says so, the other that the handshake failed, once each', async () => {
    const { session: s, lines } = session('warning');
    const a = s.createPeerConnection();
    const b = s.createPeerConnection();
    expect(a.initialize(LOOPBACK)).toBe(GodotError.OK);
    expect(b.initialize(LOOPBACK)).toBe(GodotError.OK);
    a.createDataChannel('x');
    // The first byte of a's certificate fingerprint, as b receives it.
    const tamper = (sdp: string) => sdp.replace(/^(a=fingerprint:sha-256 )([0-9A-F]{2})/m, (_m, head: string, byte: string) => `${head}${byte === '00' ? '01' : '00'}`);
    wireChanged(a, b, { description: tamper });
    expect(a.createOffer()).toBe(GodotError.OK);
    await pollUntil([a, b], () => a.getConnectionState() === ConnectionState.STATE_FAILED && b.getConnectionState() === ConnectionState.STATE_FAILED, 15_000, 'both FAILED');
    await new Promise((r) => setTimeout(r, 1_000));
    for (const pc of [a, b]) pc.poll();
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_FAILED);
    expect(failedLines(lines).sort()).toEqual([
      'the peer connection FAILED: the DTLS handshake failed after ICE connected (the remote refused it or stopped answering)',
      "the peer connection FAILED: the DTLS handshake failed: the remote's certificate does not match the fingerprint in its session description (was the SDP changed on its way?)",
    ]);
    expect(errors(lines)).toHaveLength(2);
    // At the default level the stack's own lines (four errors for this one event) stay out.
    expect(lines.filter((l) => l.message.startsWith('[libdatachannel]'))).toEqual([]);
  }, 20_000);

  it('log level "debug": the core\'s state changes and libdatachannel\'s info lines appear, tagged; at the default none do', async () => {
    const loud = session('debug');
    const quiet = session(DEFAULT_LOG_LEVEL);
    const pairs = [await openPair(loud.session), await openPair(quiet.session)];
    pairs[0]!.channel.putPacket(Buffer.from('x'));
    await new Promise((r) => setTimeout(r, 300));
    const debug = loud.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toContain('connection state CONNECTED');
    expect(debug.some((m) => m.startsWith('ICE state '))).toBe(true);
    expect(debug.some((m) => m.startsWith('local candidate: a=candidate:'))).toBe(true);
    expect(debug.filter((m) => m.startsWith('[libdatachannel] ')).some((m) => m.includes('Changed state to connected'))).toBe(true);
    // Nothing more detailed than asked for.
    expect(loud.lines.filter((l) => l.level === 'verbose')).toEqual([]);
    expect(quiet.lines).toEqual([]);
  });

  it('log level "verbose": libdatachannel\'s per-packet lines are rate-limited, and what was left out is counted in one line', async () => {
    const { session: s, lines } = session('verbose');
    const { a, b, channel, remote } = await openPair(s);
    for (let i = 0; i < 50; i++) channel.putPacket(Buffer.from(`message ${i}`));
    await pollUntil([a, b], () => remote.getAvailablePacketCount() === 50, 10_000, 'the messages');
    // Each second that left lines out says how many when it ends.
    await pollUntil([a, b], () => lines.some((l) => l.message.includes('lines left out in one second')), 5_000, 'the left-out count');
    const stack = lines.filter((l) => l.message.startsWith('[libdatachannel] '));
    expect(stack.length).toBeGreaterThan(STACK_LINES_PER_SECOND);
    // No second has more than the limit (plus its left-out line).
    for (const line of stack) {
      const within = stack.filter((l) => l.at >= line.at && l.at < line.at + 1000).length;
      expect(within).toBeLessThanOrEqual(STACK_LINES_PER_SECOND + 1);
    }
    const leftOut = stack.find((l) => l.message.includes('lines left out'))!;
    expect(leftOut.level).toBe('warning');
    expect(leftOut.message).toMatch(/^\[libdatachannel\] \d+ lines left out in one second \(more than 50 a second\)$/);
  });
});

describe('log level values', () => {
  it('each level by name, any case; empty is the default; anything else is the default and one warning', () => {
    expect(parseLogLevel('debug')).toEqual({ ok: true, level: 'debug' });
    expect(parseLogLevel(' Verbose ')).toEqual({ ok: true, level: 'verbose' });
    expect(parseLogLevel(undefined)).toEqual({ ok: true, level: 'warning' });
    expect(parseLogLevel('')).toEqual({ ok: true, level: 'warning' });
    expect(parseLogLevel('loud')).toEqual({
      ok: false,
      level: 'warning',
      warning: 'log level "loud" (GODOT_WEBRTC_LOG_LEVEL) is not one of error, warning, info, debug, verbose; using warning',
    });
  });
});
