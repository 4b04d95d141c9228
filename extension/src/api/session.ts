// An in-process session: one core, the Godot-shaped objects over it, and the
// routing of the core's ordered event stream to them. The worker replaces
// the in-process link with the bridge; the semantics stay where they are.
// This facade (api/) is test and benchmark support: nothing shipped loads it
// (the worker bundles core/ and worker/; Godot runs the C client, bridge/client/,
// which mirrors it). The conformance rows run against both, so they cannot drift.
import { RECEIVE_LIMIT_BYTES, SEND_LIMIT_BYTES } from '../../../bridge/protocol/protocol.js';
import { Core } from '../core/core.js';
import type { CoreEvent, Handle, LogLevel } from '../core/events.js';
import type { Transport } from '../transport/transport.js';
import type { DataChannel } from './data-channel.js';
import { PeerConnection } from './peer-connection.js';
import type { SessionLink } from './session-link.js';

export type Logger = (level: LogLevel, message: string) => void;

export interface SessionOptions {
  readonly transport: Transport;
  /** Where error and warning lines go; Godot's console format by default. */
  readonly logger?: Logger;
  readonly receiveLimit?: number;
  readonly sendLimit?: number;
  /** Sees every core event before it is routed (diagnostics and tests). */
  readonly tap?: (event: CoreEvent) => void;
  /** Lines above it are not logged, the stack's own at it and below are (core.ts CoreOptions). Unset: the core's lines up to info, no stack line. */
  readonly logLevel?: LogLevel;
}

export const consoleLogger: Logger = (level, message) => {
  process.stderr.write(`${level === 'error' ? 'ERROR' : level === 'warning' ? 'WARNING' : level.toUpperCase()}: ${message}\n`);
};

export class Session {
  readonly core: Core;
  readonly #peers = new Map<Handle, PeerConnection>();
  readonly #channels = new Map<Handle, DataChannel>();
  readonly #link: SessionLink;

  constructor(options: SessionOptions) {
    const logger = options.logger ?? consoleLogger;
    const tap = options.tap;
    this.core = new Core(options.transport, tap ? (event) => (tap(event), this.#route(event)) : (event) => this.#route(event), {
      ...(options.logLevel !== undefined ? { logLevel: options.logLevel } : {}),
    });
    this.#link = {
      core: this.core,
      sendLimit: options.sendLimit ?? SEND_LIMIT_BYTES,
      receiveLimit: options.receiveLimit ?? RECEIVE_LIMIT_BYTES,
      log: logger,
      adoptChannel: (channel) => {
        this.#channels.set(channel.handle, channel);
        return channel;
      },
      forgetChannel: (handle) => this.#channels.delete(handle),
      forgetPeer: (handle) => this.#peers.delete(handle),
    };
  }

  /** `WebRTCPeerConnection.new()`: cheap, nothing is created in the stack yet. */
  createPeerConnection(): PeerConnection {
    const pc = new PeerConnection(this.core.createPeer(), this.#link);
    this.#peers.set(pc.handle, pc);
    return pc;
  }

  /** Closes every connection (process exit). */
  close(): void {
    for (const pc of [...this.#peers.values()]) pc.dispose();
    for (const channel of [...this.#channels.values()]) channel.dispose();
    this.core.closeAll();
  }

  #route(event: CoreEvent): void {
    switch (event.kind) {
      case 'log':
        this.#link.log(event.level, event.message);
        return;
      case 'channel-state':
      case 'message':
      case 'channel-buffered':
        this.#channels.get(event.ch)?.onEvent(event);
        return;
      default:
        this.#peers.get(event.pc)?.onEvent(event);
    }
  }
}
