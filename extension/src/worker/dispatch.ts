// Commands, as the worker receives them, applied to the core. One record in,
// one reply out; every reply carries a Status. Arguments arrive from outside
// the process, so each is checked before the core sees it.
import type { Core } from '../core/core.js';
import type { ChannelStats, PeerStats } from '../core/peer-stats.js';
import { Status } from '../godot/status.js';

export type Command =
  | { op: 'create-peer' }
  | { op: 'initialize'; pc: number; config: unknown }
  | { op: 'create-data-channel'; pc: number; label: unknown; options: unknown }
  | { op: 'create-offer'; pc: number }
  | { op: 'set-local-description'; pc: number; type: string; sdp: string }
  | { op: 'set-remote-description'; pc: number; type: string; sdp: string }
  | { op: 'add-ice-candidate'; pc: number; mid: string; index: number; candidate: string }
  | { op: 'close-peer'; pc: number }
  | { op: 'free-peer'; pc: number }
  | { op: 'send'; ch: number; data: Uint8Array; isString: boolean }
  | { op: 'close-channel'; ch: number }
  | { op: 'free-channel'; ch: number }
  | { op: 'get-peer-stats'; pc: number }
  | { op: 'get-channel-stats'; ch: number };

export interface Reply {
  readonly status: Status;
  readonly handle?: number;
  readonly channel?: unknown;
  /** get-peer-stats / get-channel-stats with status OK. */
  readonly peerStats?: PeerStats;
  readonly channelStats?: ChannelStats;
}

const isHandle = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isString = (v: unknown): v is string => typeof v === 'string';

export function dispatch(core: Core, raw: unknown): Reply {
  if (typeof raw !== 'object' || raw === null) return { status: Status.INVALID_PARAMETER };
  const c = raw as Record<string, unknown>;
  const pc = c.pc;
  const ch = c.ch;
  switch (c.op) {
    case 'create-peer':
      return { status: Status.OK, handle: core.createPeer() };
    case 'initialize':
      return isHandle(pc) ? { status: core.initialize(pc, c.config) } : bad();
    case 'create-data-channel': {
      if (!isHandle(pc)) return bad();
      const r = core.createDataChannel(pc, c.label, c.options);
      return { status: r.status, ...(r.ch !== undefined ? { handle: r.ch, channel: r.channel } : {}) };
    }
    case 'create-offer':
      return isHandle(pc) ? { status: core.createOffer(pc) } : bad();
    case 'set-local-description':
      return isHandle(pc) && isString(c.type) && isString(c.sdp) ? { status: core.setLocalDescription(pc, c.type, c.sdp) } : bad();
    case 'set-remote-description':
      return isHandle(pc) && isString(c.type) && isString(c.sdp) ? { status: core.setRemoteDescription(pc, c.type, c.sdp) } : bad();
    case 'add-ice-candidate':
      return isHandle(pc) && isString(c.mid) && typeof c.index === 'number' && isString(c.candidate)
        ? { status: core.addIceCandidate(pc, c.mid, c.index, c.candidate) }
        : bad();
    case 'close-peer':
      return isHandle(pc) ? { status: core.closePeer(pc) } : bad();
    case 'free-peer':
      return isHandle(pc) ? { status: core.freePeer(pc) } : bad();
    case 'send':
      return isHandle(ch) && c.data instanceof Uint8Array && typeof c.isString === 'boolean' ? { status: core.send(ch, c.data, c.isString) } : bad();
    case 'close-channel':
      return isHandle(ch) ? { status: core.closeChannel(ch) } : bad();
    case 'free-channel':
      return isHandle(ch) ? { status: core.freeChannel(ch) } : bad();
    case 'get-peer-stats': {
      if (!isHandle(pc)) return bad();
      const r = core.peerStats(pc);
      return r.stats ? { status: r.status, peerStats: r.stats } : { status: r.status };
    }
    case 'get-channel-stats': {
      if (!isHandle(ch)) return bad();
      const r = core.channelStats(ch);
      return r.stats ? { status: r.status, channelStats: r.stats } : { status: r.status };
    }
    default:
      return bad();
  }
}

function bad(): Reply {
  return { status: Status.INVALID_PARAMETER };
}
