// The core's side of one data channel: the transport channel, its Godot ready
// state, and send-path accounting. Reports through the peer's emitter.
import { type ChannelOptions, UNSET } from '../config/channel-options.js';
import { ChannelState } from '../godot/enums.generated.js';
import type { TransportChannel } from '../transport/transport.js';
import type { ChannelDescription, CoreEvent, Handle } from './events.js';
import type { ChannelStats } from './peer-stats.js';

export interface ChannelHost {
  emit(event: CoreEvent): void;
  log(level: 'error' | 'warning' | 'info', message: string): void;
  /** The channel's send accounting changed: report it once this turn. */
  markBuffered(channel: CoreChannel): void;
  /** A channel is about to report OPEN: its connection is connected. */
  channelOpening(): void;
  /** One message went to the stack (sent) or came from it: the connection's packet counters. */
  countMessage(sent: boolean): void;
}

export class CoreChannel {
  readonly handle: Handle;
  readonly pc: Handle;
  readonly description: ChannelDescription;
  state: ChannelState = ChannelState.STATE_CONNECTING;
  /** Running total of bytes taken by `send`. */
  sent = 0;
  #messagesSent = 0;
  #messagesReceived = 0;
  #bytesReceived = 0;
  readonly #transport: TransportChannel;
  readonly #host: ChannelHost;
  #warnedClosedSend = false;
  #detached = false;

  constructor(handle: Handle, pc: Handle, transport: TransportChannel, host: ChannelHost, options?: ChannelOptions) {
    this.handle = handle;
    this.pc = pc;
    this.#transport = transport;
    this.#host = host;
    this.description = {
      label: options?.label ?? transport.label,
      protocol: options?.protocol ?? transport.protocol,
      id: transport.id() ?? options?.id ?? UNSET,
      ordered: options?.ordered ?? true,
      negotiated: options?.negotiated ?? false,
      maxPacketLifeTime: options?.maxPacketLifeTime ?? UNSET,
      maxRetransmits: options?.maxRetransmits ?? UNSET,
      maxMessageSize: transport.maxMessageSize(),
    };
    transport.setHandlers({
      open: () => this.#setState(ChannelState.STATE_OPEN),
      closed: () => this.#setState(ChannelState.STATE_CLOSED),
      error: (message) => host.log('warning', `data channel "${this.description.label}": ${message}`),
      // node-datachannel queues each callback kind on its own, so a message
      // sent before the remote closed can arrive after `closed`: keep it.
      // Only the script's own close of the connection ends delivery.
      message: (data, isString) => {
        if (this.#detached) return;
        this.#messagesReceived++;
        this.#bytesReceived += data.byteLength;
        host.countMessage(false);
        host.emit({ kind: 'message', ch: handle, data, isString });
      },
    });
  }

  /** A received channel may be open before its handlers were attached. */
  syncOpen(): void {
    if (this.#transport.isOpen()) this.#setState(ChannelState.STATE_OPEN);
  }

  send(data: Uint8Array, isString: boolean): boolean {
    if (this.state !== ChannelState.STATE_OPEN) {
      if (!this.#warnedClosedSend) {
        this.#warnedClosedSend = true;
        this.#host.log('warning', `data channel "${this.description.label}" is no longer open: a packet put before it closed was not sent`);
      }
      return false;
    }
    try {
      this.#transport.send(data, isString);
    } catch (error) {
      this.#host.log('error', `data channel "${this.description.label}": send failed: ${(error as Error).message}`);
      return false;
    }
    this.sent += data.byteLength;
    this.#messagesSent++;
    this.#host.countMessage(true);
    this.#host.markBuffered(this);
    return true;
  }

  /** Messages and their bytes handed to the stack and delivered by it on this channel. */
  stats(): ChannelStats {
    return { messagesSent: this.#messagesSent, bytesSent: this.sent, messagesReceived: this.#messagesReceived, bytesReceived: this.#bytesReceived };
  }

  bufferedAmount(): number {
    return this.state === ChannelState.STATE_OPEN ? this.#transport.bufferedAmount() : 0;
  }

  /** Script-initiated close: CLOSING now, CLOSED when the stack confirms. */
  close(): void {
    if (this.state === ChannelState.STATE_CLOSED || this.state === ChannelState.STATE_CLOSING) return;
    this.#setState(ChannelState.STATE_CLOSING);
    this.#transport.close();
  }

  /** The peer connection went away: CLOSED at once, silently. */
  detach(): void {
    this.#detached = true;
    this.state = ChannelState.STATE_CLOSED;
    this.#transport.close();
  }

  #setState(state: ChannelState): void {
    if (this.state === state || this.state === ChannelState.STATE_CLOSED) return;
    if (state === ChannelState.STATE_OPEN && this.state === ChannelState.STATE_CLOSING) return;
    if (state === ChannelState.STATE_OPEN) this.#host.channelOpening();
    this.state = state;
    const id = this.#transport.id() ?? this.description.id;
    const maxMessageSize = this.#transport.maxMessageSize();
    this.#host.emit({ kind: 'channel-state', ch: this.handle, state, id, maxMessageSize });
  }
}
