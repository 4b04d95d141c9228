// Signalling between one of our peer connections (Godot's calls and signals)
// and the browser page, the way a game's signalling server would carry it.
// The browser's calls are asynchronous, so they run one after another on a
// queue; the first failure is kept and thrown by `until()`.
//
// ICE stays on one address (127.0.0.1 by default; private-net.ts's inside a
// private namespace): our side binds it, and of the browser's candidates only
// those on it are passed to our side; the others are recorded in `dropped` so
// a test can say what the browser offered.
import type { PeerConnection } from '../../extension/src/api/peer-connection.js';
import { GodotError } from '../../extension/src/godot/enums.generated.js';
import { pollUntil } from '../../extension/src/testing/loopback.js';
import type { BrowserPeer } from './browser-lab.js';

export interface BrowserLink {
  /** The first thing that went wrong in signalling, if anything. */
  readonly failure: Error | undefined;
  /** The browser's candidates passed to our side (all on the link's address). */
  readonly forwarded: readonly string[];
  /** The browser's candidates not passed on (other addresses, mDNS names). */
  readonly dropped: readonly string[];
  /** Our candidates passed to the browser. */
  readonly ours: readonly string[];
  /** The browser's description (offer or answer) as it sent it. */
  readonly browserSdp: string | undefined;
  /** Our description as we sent it. */
  readonly ourSdp: string | undefined;
  /** The browser's connection states and channel events, for failure messages. */
  readonly browserLog: readonly string[];
}

/** The address field of a `candidate:` line (RFC 8839 §5.1). */
export function candidateAddress(line: string): string | undefined {
  return line.replace(/^a=/, '').split(/\s+/)[4];
}

/** The `typ` of a `candidate:` line. */
export function candidateType(line: string): string | undefined {
  const fields = line.split(/\s+/);
  const at = fields.indexOf('typ');
  return at >= 0 ? fields[at + 1] : undefined;
}

export function linkToBrowser(ours: PeerConnection, browser: BrowserPeer, offerer: 'ours' | 'browser', address = '127.0.0.1'): BrowserLink {
  const state: { failure: Error | undefined; forwarded: string[]; dropped: string[]; ours: string[]; browserSdp: string | undefined; ourSdp: string | undefined; browserLog: string[] } = {
    failure: undefined,
    forwarded: [],
    dropped: [],
    ours: [],
    browserSdp: undefined,
    ourSdp: undefined,
    browserLog: [],
  };
  let queue = Promise.resolve();
  const fail = (error: unknown) => {
    state.failure ??= error instanceof Error ? error : new Error(String(error));
  };
  const enqueue = (what: string, step: () => Promise<void>) => {
    queue = queue.then(step).catch((error: unknown) => fail(new Error(`${what}: ${(error as Error)?.message ?? String(error)}`)));
  };
  const check = (error: GodotError, what: string) => {
    if (error !== GodotError.OK) fail(new Error(`${what} returned ${error}`));
  };

  ours.connect('session_description_created', (type, sdp) => {
    check(ours.setLocalDescription(type, sdp), `set_local_description(${type})`);
    state.ourSdp = sdp;
    if (type === 'offer') {
      enqueue('the browser answering our offer', async () => {
        const answer = await browser.answer(sdp);
        state.browserSdp = answer;
        check(ours.setRemoteDescription('answer', answer), "set_remote_description('answer')");
      });
    } else {
      enqueue('the browser accepting our answer', () => browser.accept(sdp));
    }
  });
  ours.connect('ice_candidate_created', (media, index, name) => {
    const line = name.replace(/^a=/, '');
    state.ours.push(line);
    enqueue('the browser adding our candidate', () => browser.addCandidate(line, media, index));
  });
  browser.onEvent((event) => {
    if (event.kind !== 'candidate') {
      if (event.kind !== 'message') state.browserLog.push(JSON.stringify(event));
      return;
    }
    if (candidateAddress(event.candidate) !== address) {
      state.dropped.push(event.candidate);
      return;
    }
    state.forwarded.push(event.candidate);
    check(ours.addIceCandidate(event.mid, event.index, event.candidate), 'add_ice_candidate(browser candidate)');
  });
  if (offerer === 'browser') {
    enqueue('the browser offering', async () => {
      const offer = await browser.offer();
      state.browserSdp = offer;
      check(ours.setRemoteDescription('offer', offer), "set_remote_description('offer')");
    });
  }
  return state;
}

/** Polls our peers until `done()`; throws the link's failure as soon as there is one. */
export async function until(peers: readonly PeerConnection[], link: BrowserLink, done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  try {
    await pollUntil(
      peers,
      () => {
        if (link.failure) throw link.failure;
        return done();
      },
      timeoutMs,
      what,
    );
  } catch (error) {
    const facts = {
      ourConnectionStates: peers.map((pc) => pc.getConnectionState()),
      ourCandidates: link.ours,
      browserCandidatesForwarded: link.forwarded,
      browserCandidatesDropped: link.dropped,
      browser: link.browserLog,
    };
    throw new Error(`${(error as Error).message}\n${JSON.stringify(facts, null, 1)}`);
  }
}

/** The a=max-message-size value of an SDP, or undefined when absent (RFC 8841 §6). */
export function sdpMaxMessageSize(sdp: string | undefined): number | undefined {
  const match = /^a=max-message-size:(\d+)\s*$/m.exec(sdp ?? '');
  return match ? Number(match[1]) : undefined;
}
