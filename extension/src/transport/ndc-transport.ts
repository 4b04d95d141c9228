// The one module that imports node-datachannel (docs/style.md item 8).
import ndc from 'node-datachannel';
import type { ChannelOptions } from '../config/channel-options.js';
import type { PeerConfig } from '../config/peer-config.js';
import {
  type DescriptionType,
  type Transport,
  type TransportChannel,
  type TransportChannelHandlers,
  TransportError,
  type TransportGatheringState,
  type TransportIceState,
  type TransportPeer,
  type TransportPeerHandlers,
  type TransportPeerState,
  type TransportPeerStats,
} from './transport.js';

type NdcPeer = InstanceType<typeof ndc.PeerConnection>;
type NdcChannel = ReturnType<NdcPeer['createDataChannel']>;
type NdcConfig = ConstructorParameters<typeof ndc.PeerConnection>[1];

/** node-datachannel reports 65535 for "no stream id yet". */
const NO_STREAM_ID = 65535;
const RELAY_TYPE = { udp: 'TurnUdp', tcp: 'TurnTcp', tls: 'TurnTls' } as const;

let nextPeerName = 0;

/**
 * node-datachannel aborts the process (std::terminate) when a JS callback
 * throws, so every callback into the core runs behind this guard.
 */
function guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      reportUncaught(error);
    }
  };
}

function reportUncaught(error: unknown): void {
  process.stderr.write(`ERROR: uncaught in a WebRTC callback: ${(error as Error)?.stack ?? String(error)}\n`);
}

function rethrow(error: unknown): never {
  throw new TransportError(error instanceof Error ? error.message.replace(/^libdatachannel error[^:]*: /, '') : String(error));
}

export function toNdcConfig(config: PeerConfig): NdcConfig {
  return {
    // libjuice has no STUN over TLS: a stuns: server would get plain STUN on its TLS port.
    iceServers: config.iceServers.filter((s) => s.scheme !== 'stuns').map((s) => ({
      hostname: s.hostname,
      port: s.port,
      ...(s.relay !== undefined ? { relayType: RELAY_TYPE[s.relay], username: s.username, password: s.credential } : {}),
    })),
    iceTransportPolicy: config.iceTransportPolicy,
    // Godot's contract separates create_offer from set_local_description;
    // the core drives every description itself.
    disableAutoNegotiation: true,
    enableIceTcp: config.enableIceTcp,
    enableIceUdpMux: config.enableIceUdpMux,
    ...(config.portRangeBegin !== undefined ? { portRangeBegin: config.portRangeBegin } : {}),
    ...(config.portRangeEnd !== undefined ? { portRangeEnd: config.portRangeEnd } : {}),
    ...(config.mtu !== undefined ? { mtu: config.mtu } : {}),
    ...(config.bindAddress !== undefined ? { bindAddress: config.bindAddress } : {}),
    ...(config.maxMessageSize !== undefined ? { maxMessageSize: config.maxMessageSize } : {}),
  };
}

class NdcChannelAdapter implements TransportChannel {
  readonly label: string;
  readonly protocol: string;
  readonly #channel: NdcChannel;
  /** Once the stack reports the channel closed, its native side may be gone: touch it no more. */
  #gone = false;
  #id: number | undefined;
  #maxMessageSize: number;

  constructor(channel: NdcChannel) {
    this.#channel = channel;
    this.label = channel.getLabel();
    this.protocol = channel.getProtocol();
    this.#maxMessageSize = channel.maxMessageSize();
    this.#readId();
  }

  setHandlers(h: TransportChannelHandlers): void {
    const ch = this.#channel;
    ch.onOpen(guard(() => {
      this.#readId();
      this.#maxMessageSize = ch.maxMessageSize();
      h.open();
    }));
    ch.onClosed(guard(() => {
      this.#gone = true;
      h.closed();
    }));
    ch.onError(guard((message: string) => h.error(message)));
    // The hot path: guarded like the others, without guard()'s rest arguments.
    ch.onMessage((msg: string | Buffer | ArrayBuffer) => {
      try {
        if (typeof msg === 'string') h.message(Buffer.from(msg, 'utf8'), true);
        else if (msg instanceof ArrayBuffer) h.message(new Uint8Array(msg), false);
        else h.message(msg, false);
      } catch (error) {
        reportUncaught(error);
      }
    });
  }

  id(): number | undefined {
    if (this.#id === undefined) this.#readId();
    return this.#id;
  }

  isOpen(): boolean {
    return !this.#gone && this.#safe(() => this.#channel.isOpen(), false);
  }

  maxMessageSize(): number {
    return this.#maxMessageSize;
  }

  bufferedAmount(): number {
    return this.#gone ? 0 : this.#safe(() => this.#channel.bufferedAmount(), 0);
  }

  #readId(): void {
    if (this.#gone) return;
    const id = this.#safe(() => this.#channel.getId(), NO_STREAM_ID);
    this.#id = id === NO_STREAM_ID || id < 0 ? undefined : id;
  }

  #safe<T>(fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch {
      this.#gone = true;
      return fallback;
    }
  }

  send(data: Uint8Array, isString: boolean): void {
    if (this.#gone) throw new TransportError('DataChannel is closed');
    try {
      if (isString) this.#channel.sendMessage(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      else this.#channel.sendMessageBinary(data);
    } catch (error) {
      rethrow(error);
    }
  }

  close(): void {
    if (this.#gone) return;
    try {
      this.#channel.close();
    } catch {
      this.#gone = true;
    }
  }
}

class NdcPeerAdapter implements TransportPeer {
  readonly #pc: NdcPeer;

  constructor(config: PeerConfig, h: TransportPeerHandlers) {
    try {
      this.#pc = new ndc.PeerConnection(`pc${nextPeerName++}`, toNdcConfig(config));
    } catch (error) {
      rethrow(error);
    }
    const pc = this.#pc;
    pc.onLocalDescription(guard((sdp: string, type: string) => h.localDescription(type === 'offer' ? 'offer' : 'answer', sdp)));
    pc.onLocalCandidate(guard((candidate: string, mid: string) => h.localCandidate(candidate, mid)));
    pc.onStateChange(guard((state: string) => h.stateChange(state as TransportPeerState)));
    pc.onGatheringStateChange(guard((state: string) => h.gatheringStateChange(state as TransportGatheringState)));
    pc.onIceStateChange(guard((state: string) => h.iceStateChange(state as TransportIceState)));
    pc.onDataChannel(guard((channel: NdcChannel) => h.dataChannel(new NdcChannelAdapter(channel))));
  }

  stats(): TransportPeerStats {
    const pc = this.#pc;
    const read = <T>(fn: () => T, fallback: T): T => {
      try {
        return fn();
      } catch {
        return fallback;
      }
    };
    // rtt(): libdatachannel's SctpTransport::rtt(), usrsctp's SCTP_STATUS
    // sstat_primary.spinfo_srtt (the smoothed RTT, whole ms); node-datachannel
    // gives -1 when there is none (SCTP not connected).
    const rtt = read(() => pc.rtt(), -1);
    const pair = read(() => pc.getSelectedCandidatePair(), null);
    const side = (c: { type: string; address: string; port: number; transportType: string }) => ({
      type: c.type,
      address: c.address,
      port: c.port,
      transport: c.transportType,
    });
    return {
      state: read(() => pc.state() as TransportPeerState, 'closed'),
      iceState: read(() => pc.iceState() as TransportIceState, 'closed'),
      bytesSent: read(() => pc.bytesSent(), 0),
      bytesReceived: read(() => pc.bytesReceived(), 0),
      srttMs: rtt >= 0 ? rtt : undefined,
      selectedPair: pair ? { local: side(pair.local), remote: side(pair.remote) } : undefined,
    };
  }

  setLocalDescription(type: DescriptionType): void {
    try {
      this.#pc.setLocalDescription(type);
    } catch (error) {
      rethrow(error);
    }
  }

  setRemoteDescription(sdp: string, type: DescriptionType): void {
    try {
      this.#pc.setRemoteDescription(sdp, type);
    } catch (error) {
      rethrow(error);
    }
  }

  addRemoteCandidate(candidate: string, mid: string): void {
    try {
      this.#pc.addRemoteCandidate(candidate, mid);
    } catch (error) {
      rethrow(error);
    }
  }

  createDataChannel(o: ChannelOptions): TransportChannel {
    try {
      const channel = this.#pc.createDataChannel(o.label, {
        protocol: o.protocol,
        negotiated: o.negotiated,
        ...(o.id !== undefined ? { id: o.id } : {}),
        unordered: !o.ordered,
        ...(o.maxPacketLifeTime !== undefined ? { maxPacketLifeTime: o.maxPacketLifeTime } : {}),
        ...(o.maxRetransmits !== undefined ? { maxRetransmits: o.maxRetransmits } : {}),
      });
      return new NdcChannelAdapter(channel);
    } catch (error) {
      rethrow(error);
    }
  }

  close(): void {
    try {
      this.#pc.close();
    } catch {
      // Already closed.
    }
  }
}

export const ndcTransport: Transport = {
  name: 'node-datachannel',
  createPeer: (config, handlers) => new NdcPeerAdapter(config, handlers),
};

export function stackVersion(): string {
  return `libdatachannel ${ndc.getLibraryVersion()}`;
}
