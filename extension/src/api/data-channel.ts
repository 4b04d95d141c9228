// WebRTCDataChannel as Godot documents it (a PacketPeer), over core handles.
// The C client mirrors this file: state comes from events, packets queue here,
// and put_packet decides OK / ERR_BUSY locally, without a round trip.
// Test and benchmark support (session.ts says why); the conformance rows
// judge it and bridge/client/wc_channel.c side by side.
import { UNSET } from '../config/channel-options.js';
import type { ChannelDescription, CoreEvent, Handle } from '../core/events.js';
import { ChannelState, GodotError, WriteMode } from '../godot/enums.generated.js';
import { toGodotError } from '../godot/status.js';
import { type Packet, PacketQueue } from './packet-queue.js';
import type { SessionLink } from './session-link.js';
import { type StatsDictionary, channelStatsDictionary } from './stats-dictionary.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const EMPTY = new Uint8Array(0);

export class DataChannel {
  readonly handle: Handle;
  readonly #link: SessionLink;
  #description: ChannelDescription;
  #state: ChannelState = ChannelState.STATE_CONNECTING;
  #writeMode: WriteMode = WriteMode.WRITE_MODE_BINARY;
  readonly #queue = new PacketQueue();
  #lastWasString = false;
  #packetError: GodotError = GodotError.OK;
  /** Bytes put by the script; the core reports how many it has taken. */
  #put = 0;
  #coreSent = 0;
  #coreBuffered = 0;
  #dropped = 0;
  #droppedLogged = 0;
  #disposed = false;

  constructor(handle: Handle, description: ChannelDescription, link: SessionLink) {
    this.handle = handle;
    this.#description = description;
    this.#link = link;
  }

  // ---- PacketPeer -----------------------------------------------------------

  putPacket(data: Uint8Array): GodotError {
    if (this.#state !== ChannelState.STATE_OPEN) {
      this.#link.log('error', `put_packet: data channel "${this.#description.label}" is not open (${stateName(this.#state)})`);
      return GodotError.FAILED;
    }
    if (data.byteLength > this.getMaxPacketSize()) {
      this.#link.log('error', `put_packet: ${data.byteLength} bytes is more than the channel's maximum of ${this.getMaxPacketSize()}`);
      return GodotError.ERR_INVALID_PARAMETER;
    }
    const isString = this.#writeMode === WriteMode.WRITE_MODE_TEXT;
    if (isString && !isUtf8(data)) {
      this.#link.log('error', 'put_packet: text mode sends UTF-8 and this packet is not valid UTF-8');
      return GodotError.ERR_INVALID_PARAMETER;
    }
    if (this.getBufferedAmount() + data.byteLength > this.#link.sendLimit) return GodotError.ERR_BUSY;
    this.#put += data.byteLength;
    return toGodotError(this.#link.core.send(this.handle, data, isString));
  }

  /**
   * The next packet in arrival order; empty with get_packet_error()
   * ERR_UNAVAILABLE when none is waiting (Godot's PacketPeer shape).
   */
  getPacket(): Uint8Array {
    const packet = this.#queue.shift();
    if (!packet) {
      this.#packetError = GodotError.ERR_UNAVAILABLE;
      return EMPTY;
    }
    this.#packetError = GodotError.OK;
    this.#lastWasString = packet.isString;
    return packet.data;
  }

  /** The result of the last get_packet(). */
  getPacketError(): GodotError {
    return this.#packetError;
  }

  getAvailablePacketCount(): number {
    return this.#queue.count;
  }

  // ---- WebRTCDataChannel ----------------------------------------------------

  poll(): GodotError {
    this.#logDrops();
    return GodotError.OK;
  }

  close(): void {
    if (this.#state === ChannelState.STATE_CLOSED || this.#state === ChannelState.STATE_CLOSING) return;
    this.#state = ChannelState.STATE_CLOSING;
    this.#link.core.closeChannel(this.handle);
  }

  wasStringPacket(): boolean {
    return this.#lastWasString;
  }

  setWriteMode(mode: number): void {
    if (mode !== WriteMode.WRITE_MODE_TEXT && mode !== WriteMode.WRITE_MODE_BINARY) {
      this.#link.log('error', `set_write_mode: ${mode} is not a WriteMode`);
      return;
    }
    this.#writeMode = mode;
  }

  getWriteMode(): WriteMode {
    return this.#writeMode;
  }

  getReadyState(): ChannelState {
    return this.#state;
  }

  getLabel(): string {
    return this.#description.label;
  }

  getProtocol(): string {
    return this.#description.protocol;
  }

  isOrdered(): boolean {
    return this.#description.ordered;
  }

  isNegotiated(): boolean {
    return this.#description.negotiated;
  }

  getId(): number {
    return this.#description.id;
  }

  getMaxPacketLifeTime(): number {
    return this.#description.maxPacketLifeTime;
  }

  getMaxRetransmits(): number {
    return this.#description.maxRetransmits;
  }

  getMaxPacketSize(): number {
    return this.#description.maxMessageSize;
  }

  getBufferedAmount(): number {
    return Math.max(0, this.#put - this.#coreSent) + this.#coreBuffered;
  }

  /** Unreliable channels drop their oldest unread packets past the receive limit. */
  get droppedPacketCount(): number {
    return this.#dropped;
  }

  /** get_stats(): the core's message counters and this object's own queue numbers; {} once disposed. */
  getStats(): StatsDictionary {
    const result = this.#link.core.channelStats(this.handle);
    if (!result.stats) return {};
    return channelStatsDictionary(result.stats, {
      label: this.getLabel(),
      id: this.getId(),
      readyState: this.#state,
      bufferedAmount: this.getBufferedAmount(),
      droppedPackets: this.#dropped,
    });
  }

  /** The script dropped its last reference. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#state = ChannelState.STATE_CLOSED;
    this.#link.forgetChannel(this.handle);
    this.#link.core.freeChannel(this.handle);
  }

  // ---- Fed by the session ---------------------------------------------------

  /** The owning connection closed: CLOSED now, silently. */
  markClosed(): void {
    this.#state = ChannelState.STATE_CLOSED;
  }

  onEvent(event: CoreEvent): void {
    switch (event.kind) {
      case 'channel-state':
        if (this.#state === ChannelState.STATE_CLOSED) return;
        if (event.state === ChannelState.STATE_OPEN && this.#state === ChannelState.STATE_CLOSING) return;
        this.#state = event.state;
        this.#description = { ...this.#description, id: event.id, maxMessageSize: event.maxMessageSize };
        return;
      case 'message':
        this.#receive(event);
        return;
      case 'channel-buffered':
        this.#coreSent = event.sent;
        this.#coreBuffered = event.buffered;
        return;
      default:
        return;
    }
  }

  /** The message event itself is queued: it already is a {data, isString} packet. */
  #receive(packet: Packet): void {
    const data = packet.data;
    const limit = this.#link.receiveLimit;
    if (this.#queue.bytes + data.byteLength > limit && this.#queue.count > 0) {
      if (this.#isReliable()) {
        // Keep what arrived (a reliable channel never drops) and close loudly.
        this.#queue.push(packet);
        if (this.#state !== ChannelState.STATE_CLOSING && this.#state !== ChannelState.STATE_CLOSED) {
          this.#link.log('error', `data channel "${this.#description.label}": more than ${limit} bytes of unread packets (the receive limit); closing the channel. Read packets every frame or send less.`);
          this.close();
        }
        return;
      }
      while (this.#queue.count > 0 && this.#queue.bytes + data.byteLength > limit) {
        this.#queue.shift();
        this.#dropped++;
      }
    }
    this.#queue.push(packet);
  }

  #isReliable(): boolean {
    return this.#description.maxPacketLifeTime === UNSET && this.#description.maxRetransmits === UNSET;
  }

  #logDrops(): void {
    if (this.#dropped === this.#droppedLogged) return;
    this.#link.log('warning', `data channel "${this.#description.label}": dropped ${this.#dropped - this.#droppedLogged} oldest unread packets past the receive limit (${this.#dropped} in all)`);
    this.#droppedLogged = this.#dropped;
  }
}

function isUtf8(data: Uint8Array): boolean {
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

function stateName(state: ChannelState): string {
  return Object.entries(ChannelState).find(([, v]) => v === state)?.[0] ?? String(state);
}
