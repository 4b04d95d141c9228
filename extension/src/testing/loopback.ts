// Test support: two Godot-shaped peers wired to each other the way a game's
// signalling server would, and a poll loop that waits for a condition.
import type { LogLevel } from '../core/events.js';
import { ChannelState, GodotError } from '../godot/enums.generated.js';
import type { RtcChannel, RtcPeer, RtcSession } from './rtc-shape.js';

/** Every test pins ICE to loopback and uses no ICE server. */
export const LOOPBACK = { iceServers: [], libdatachannel: { bindAddress: '127.0.0.1' } } as const;

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
}

export function collectLogs(): { lines: LogLine[]; logger: (level: LogLevel, message: string) => void } {
  const lines: LogLine[] = [];
  return { lines, logger: (level, message) => lines.push({ level, message }) };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Polls the given peers until `done()` holds; throws after `timeoutMs`. */
export async function pollUntil(peers: readonly RtcPeer[], done: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let turn = 1; ; turn++) {
    for (const pc of peers) pc.poll();
    if (done()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await tick();
    // Every few turns let timers run too (the core's drain poll, the offerer's gate).
    if (turn % 4 === 0) await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * Wires a's and b's signals to each other: descriptions are applied locally
 * and remotely, candidates forwarded. The remote calls happen in the handlers,
 * as a signalling relay on the same machine would.
 */
export function wire(a: RtcPeer, b: RtcPeer, check: (error: GodotError, what: string) => void = expectOk): () => void {
  const link = (from: RtcPeer, to: RtcPeer) => {
    const onDescription = (type: string, sdp: string) => {
      check(from.setLocalDescription(type, sdp), 'set_local_description');
      check(to.setRemoteDescription(type, sdp), 'set_remote_description');
    };
    const onCandidate = (media: string, index: number, name: string) => {
      check(to.addIceCandidate(media, index, name), `add_ice_candidate (remote in state ${to.getConnectionState()}/${to.getSignalingState()})`);
    };
    from.connect('session_description_created', onDescription);
    from.connect('ice_candidate_created', onCandidate);
    return () => {
      from.disconnect('session_description_created', onDescription);
      from.disconnect('ice_candidate_created', onCandidate);
    };
  };
  const unlinks = [link(a, b), link(b, a)];
  return () => unlinks.forEach((unlink) => unlink());
}

function expectOk(error: GodotError, what: string): void {
  if (error !== GodotError.OK) throw new Error(`${what} returned ${error}`);
}

/**
 * create_offer(), then waits for session_description_created and returns the
 * offer, applied with set_local_description unless `apply` is false.
 */
export async function makeOffer(pc: RtcPeer, apply = true): Promise<string> {
  let offer = '';
  const listener = (type: string, sdp: string) => {
    if (apply) expectOk(pc.setLocalDescription(type, sdp), 'set_local_description');
    offer = sdp;
  };
  pc.connect('session_description_created', listener);
  expectOk(pc.createOffer(), 'create_offer');
  await pollUntil([pc], () => offer !== '', 10_000, 'the offer');
  pc.disconnect('session_description_created', listener);
  return offer;
}

export interface Pair<C extends RtcChannel = RtcChannel> {
  readonly a: RtcPeer<C>;
  readonly b: RtcPeer<C>;
  /** a's channel. */
  readonly channel: C;
  /** b's side of it (received, or b's own negotiated twin). */
  readonly remote: C;
  /** Stops forwarding signals between a and b. */
  readonly unwire: () => void;
}

/**
 * Connects two fresh peers with one channel and waits until both ends are
 * OPEN. `negotiated` creates the channel on both sides with the same id.
 */
export async function openPair<C extends RtcChannel>(session: RtcSession<C>, label = 'chat', options: Record<string, unknown> = {}, config: object = LOOPBACK, timeoutMs = 10_000): Promise<Pair<C>> {
  const a = session.createPeerConnection();
  const b = session.createPeerConnection();
  expectOk(a.initialize(config), 'initialize a');
  expectOk(b.initialize(config), 'initialize b');
  let remote: C | null = null;
  const channel = a.createDataChannel(label, options);
  if (!channel) throw new Error('create_data_channel returned null');
  if (options.negotiated === true) {
    remote = b.createDataChannel(label, options);
  } else {
    b.connect('data_channel_received', (ch) => {
      remote = ch;
    });
  }
  const unwire = wire(a, b);
  expectOk(a.createOffer(), 'create_offer');
  await pollUntil([a, b], () => channel.getReadyState() === ChannelState.STATE_OPEN && remote?.getReadyState() === ChannelState.STATE_OPEN, timeoutMs, 'both channel ends OPEN');
  return { a, b, channel, remote: remote!, unwire };
}
