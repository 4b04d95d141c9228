// An in-memory WebRTC stack for unit tests: descriptions are real-looking SDP
// that name the fake peer they came from, "connecting" pairs the two peers
// once both have both descriptions, and channels deliver messages in order on
// a later turn. It follows the node-datachannel behaviours the core relies on:
// asynchronous callbacks, stream ids assigned at connection, 65535 before.
import type { ChannelOptions } from '../config/channel-options.js';
import type { PeerConfig } from '../config/peer-config.js';
import {
  type DescriptionType,
  type Transport,
  type TransportChannel,
  type TransportChannelHandlers,
  TransportError,
  type TransportPeer,
  type TransportPeerHandlers,
  type TransportPeerState,
  type TransportPeerStats,
  type TransportIceState,
} from './transport.js';

const later = (fn: () => void) => setImmediate(fn);
const MAX_MESSAGE_SIZE = 256 * 1024;
const peers = new Map<number, FakePeer>();
let nextPeerId = 1;

class FakeChannel implements TransportChannel {
  readonly label: string;
  readonly protocol: string;
  readonly options: ChannelOptions | undefined;
  streamId: number | undefined;
  twin: FakeChannel | undefined;
  /** The peer whose byte counters this channel's traffic adds to. */
  owner: FakePeer | undefined;
  #handlers: TransportChannelHandlers | undefined;
  #open = false;
  #closed = false;

  constructor(label: string, protocol: string, options?: ChannelOptions) {
    this.label = label;
    this.protocol = protocol;
    this.options = options;
    this.streamId = options?.negotiated ? options.id : undefined;
  }

  setHandlers(handlers: TransportChannelHandlers): void {
    this.#handlers = handlers;
  }

  id(): number | undefined {
    return this.streamId;
  }

  isOpen(): boolean {
    return this.#open;
  }

  maxMessageSize(): number {
    return MAX_MESSAGE_SIZE;
  }

  bufferedAmount(): number {
    return 0;
  }

  send(data: Uint8Array, isString: boolean): void {
    if (!this.#open) throw new TransportError('DataChannel is closed');
    if (data.byteLength > MAX_MESSAGE_SIZE) throw new TransportError('Message size exceeds limit');
    const copy = new Uint8Array(data);
    const twin = this.twin;
    if (this.owner) this.owner.bytesSent += data.byteLength;
    later(() => twin?.deliver(copy, isString));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const twin = this.twin;
    later(() => {
      this.markClosed();
      twin?.markClosed();
    });
  }

  markOpen(): void {
    if (this.#open || this.#closed) return;
    this.#open = true;
    this.#handlers?.open();
  }

  markClosed(): void {
    const wasLive = this.#open || !this.#closed;
    this.#open = false;
    this.#closed = true;
    if (wasLive || this.#handlers) {
      const handlers = this.#handlers;
      this.#handlers = undefined;
      handlers?.closed();
    }
  }

  deliver(data: Uint8Array, isString: boolean): void {
    if (!this.#open) return;
    if (this.owner) this.owner.bytesReceived += data.byteLength;
    this.#handlers?.message(data, isString);
  }
}

class FakePeer implements TransportPeer {
  readonly id = nextPeerId++;
  readonly #handlers: TransportPeerHandlers;
  #local: DescriptionType | undefined;
  #remotePeer: number | undefined;
  #connected = false;
  #closed = false;
  /** DTLS role decides the parity of in-band stream ids (RFC 8832 §6). */
  #nextStreamId = 0;
  readonly channels: FakeChannel[] = [];
  bytesSent = 0;
  bytesReceived = 0;
  #state: TransportPeerState = 'new';
  #iceState: TransportIceState = 'new';

  constructor(handlers: TransportPeerHandlers) {
    this.#handlers = handlers;
    peers.set(this.id, this);
  }

  /** Counts like the stack (message payload bytes); no RTT is measured in memory. */
  stats(): TransportPeerStats {
    const port = (id: number) => 20000 + id;
    const host = (id: number) => ({ type: 'host', address: '127.0.0.1', port: port(id), transport: 'UDP' });
    return {
      state: this.#state,
      iceState: this.#iceState,
      bytesSent: this.bytesSent,
      bytesReceived: this.bytesReceived,
      srttMs: undefined,
      selectedPair: this.#connected && !this.#closed && this.#remotePeer !== undefined ? { local: host(this.id), remote: host(this.#remotePeer) } : undefined,
    };
  }

  setLocalDescription(type: DescriptionType): void {
    if (this.#closed) throw new TransportError('Peer connection is closed');
    this.#local = type;
    this.#nextStreamId = type === 'offer' ? 1 : 0;
    const sdp = fakeSdp(this.id, type);
    later(() => {
      if (this.#closed) return;
      this.#handlers.localDescription(type, sdp);
      this.#state = 'connecting';
      this.#handlers.stateChange('connecting');
      this.#iceState = 'checking';
      this.#handlers.iceStateChange('checking');
      this.#handlers.gatheringStateChange('in-progress');
      this.#handlers.localCandidate(`candidate:1 1 UDP 2122317823 127.0.0.1 ${20000 + this.id} typ host`, '0');
      this.#handlers.gatheringStateChange('complete');
      this.#tryConnect();
    });
  }

  setRemoteDescription(sdp: string, _type: DescriptionType): void {
    const match = /^a=x-fake-peer:(\d+)$/m.exec(sdp);
    if (!match) throw new TransportError('Remote description is not from a fake peer');
    this.#remotePeer = Number(match[1]);
    later(() => this.#tryConnect());
  }

  addRemoteCandidate(_candidate: string, _mid: string): void {
    if (this.#remotePeer === undefined) throw new TransportError('Got a remote candidate without remote description');
  }

  createDataChannel(options: ChannelOptions): TransportChannel {
    if (this.#closed) throw new TransportError('Peer connection is closed');
    if (options.negotiated && (options.id ?? 0) > 1023) throw new TransportError('DataChannel stream id is too high');
    const channel = new FakeChannel(options.label, options.protocol, options);
    channel.owner = this;
    this.channels.push(channel);
    if (this.#connected) later(() => this.#openChannel(channel));
    return channel;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = 'closed';
    this.#iceState = 'closed';
    for (const channel of this.channels) channel.close();
    peers.delete(this.id);
  }

  #tryConnect(): void {
    const remote = this.#remotePeer !== undefined ? peers.get(this.#remotePeer) : undefined;
    if (this.#connected || this.#closed || !remote || !this.#local || remote.#remotePeer !== this.id || !remote.#local) return;
    this.#connected = true;
    remote.#connected = true;
    for (const peer of [this, remote]) {
      peer.#iceState = 'connected';
      peer.#handlers.iceStateChange('connected');
      peer.#state = 'connected';
      peer.#handlers.stateChange('connected');
    }
    for (const channel of [...this.channels]) this.#openChannel(channel);
    for (const channel of [...remote.channels]) remote.#openChannel(channel);
  }

  #openChannel(channel: FakeChannel): void {
    const remote = this.#remotePeer !== undefined ? peers.get(this.#remotePeer) : undefined;
    if (!remote || channel.twin || this.#closed) return;
    if (channel.options?.negotiated) {
      const twin = remote.channels.find((c) => c.options?.negotiated && c.streamId === channel.streamId && !c.twin);
      if (!twin) return; // opens when the other side creates it
      channel.twin = twin;
      twin.twin = channel;
      channel.markOpen();
      twin.markOpen();
      return;
    }
    channel.streamId = this.#nextStreamId;
    this.#nextStreamId += 2;
    const twin = new FakeChannel(channel.label, channel.protocol);
    twin.owner = remote;
    twin.streamId = channel.streamId;
    channel.twin = twin;
    twin.twin = channel;
    remote.channels.push(twin);
    remote.#handlers.dataChannel(twin);
    later(() => {
      channel.markOpen();
      twin.markOpen();
    });
  }
}

function fakeSdp(id: number, type: DescriptionType): string {
  return [
    'v=0',
    `o=- ${id} 0 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    `a=ice-ufrag:fake${id}`,
    `a=ice-pwd:fakepasswordfakepassword${id}`, // 22 to 256 ICE characters (RFC 8839 section 5.4)
    'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
    `a=setup:${type === 'offer' ? 'actpass' : 'active'}`,
    'a=sctp-port:5000',
    `a=x-fake-peer:${id}`,
    '',
  ].join('\r\n');
}

export const fakeTransport: Transport = {
  name: 'fake',
  createPeer: (_config: PeerConfig, handlers) => new FakePeer(handlers),
};
