// The one module that imports node-datachannel (style.md item 8).
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
  type TransportPeer,
  type TransportPeerHandlers,
  type TransportPeerState,
} from './transport.js';

type NdcPeer = InstanceType<typeof ndc.PeerConnection>;
type NdcChannel = ReturnType<NdcPeer['createDataChannel']>;
type NdcConfig = ConstructorParameters<typeof ndc.PeerConnection>[1];

/** node-datachannel reports 65535 for "no stream id yet". */
const NO_STREAM_ID = 65535;
const RELAY_TYPE = { udp: 'TurnUdp', tcp: 'TurnTcp', tls: 'TurnTls' } as const;

let nextPeerName = 0;

function rethrow(error: unknown): never {
  throw new TransportError(error instanceof Error ? error.message.replace(/^libdatachannel error[^:]*: /, '') : String(error));
}

export function toNdcConfig(config: PeerConfig): NdcConfig {
  return {
    iceServers: config.iceServers.map((s) => ({
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

  constructor(channel: NdcChannel) {
    this.#channel = channel;
    this.label = channel.getLabel();
    this.protocol = channel.getProtocol();
  }

  setHandlers(h: TransportChannelHandlers): void {
    const ch = this.#channel;
    ch.onOpen(() => h.open());
    ch.onClosed(() => h.closed());
    ch.onError((message) => h.error(message));
    ch.onMessage((msg) => {
      if (typeof msg === 'string') h.message(Buffer.from(msg, 'utf8'), true);
      else if (msg instanceof ArrayBuffer) h.message(new Uint8Array(msg), false);
      else h.message(msg, false);
    });
  }

  id(): number | undefined {
    const id = this.#channel.getId();
    return id === NO_STREAM_ID || id < 0 ? undefined : id;
  }

  isOpen(): boolean {
    return this.#channel.isOpen();
  }

  maxMessageSize(): number {
    return this.#channel.maxMessageSize();
  }

  bufferedAmount(): number {
    return this.#channel.bufferedAmount();
  }

  send(data: Uint8Array, isString: boolean): void {
    try {
      if (isString) this.#channel.sendMessage(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      else this.#channel.sendMessageBinary(data);
    } catch (error) {
      rethrow(error);
    }
  }

  close(): void {
    try {
      this.#channel.close();
    } catch {
      // Closing an already-closed channel: nothing left to do.
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
    pc.onLocalDescription((sdp, type) => h.localDescription(type === 'offer' ? 'offer' : 'answer', sdp));
    pc.onLocalCandidate((candidate, mid) => h.localCandidate(candidate, mid));
    pc.onStateChange((state) => h.stateChange(state as TransportPeerState));
    pc.onGatheringStateChange((state) => h.gatheringStateChange(state as TransportGatheringState));
    pc.onDataChannel((channel) => h.dataChannel(new NdcChannelAdapter(channel)));
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
