// What a facade object needs from the session that owns it.
import type { Core } from '../core/core.js';
import type { Handle, LogLevel } from '../core/events.js';
import type { DataChannel } from './data-channel.js';

export interface SessionLink {
  readonly core: Core;
  readonly sendLimit: number;
  readonly receiveLimit: number;
  log(level: LogLevel, message: string): void;
  /** Routes the channel's events to it from now on. */
  adoptChannel(channel: DataChannel): DataChannel;
  forgetChannel(handle: Handle): void;
  forgetPeer(handle: Handle): void;
}
