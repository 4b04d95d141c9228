// One connected WebSocket: its peer id and lobby once it has joined, its message budget, and
// when it was last heard from. Sending and closing go through here so nothing is sent to a
// client the server has already let go.
import type { WebSocket } from 'ws';
import type { Lobby, LobbyMember } from './lobby.js';
import { type Refusal, closeReason } from './protocol/close-code.js';
import type { MessageType } from './protocol/message-type.js';
import { encodeServerMessage } from './protocol/server-message.js';
import { type Clock, RateLimiter } from './rate-limiter.js';

export class Client implements LobbyMember {
  readonly #socket: WebSocket;
  readonly limiter: RateLimiter;
  /** The peer id in its lobby; 0 until it has joined one. */
  id = 0;
  lobby: Lobby<Client> | null = null;
  lastSeen: number;
  joinTimer: ReturnType<typeof setTimeout> | null = null;
  #gone = false;

  constructor(socket: WebSocket, messagesPerSecond: number, now: Clock) {
    this.#socket = socket;
    this.limiter = new RateLimiter(messagesPerSecond, now);
    this.lastSeen = now();
  }

  /** True once the server closed it or it closed: nothing more is sent or handled. */
  get gone(): boolean {
    return this.#gone;
  }

  send(type: MessageType, id: number, data = ''): void {
    if (!this.#gone) this.#socket.send(encodeServerMessage(type, id, data));
  }

  ping(): void {
    if (this.#gone) return;
    try {
      this.#socket.ping();
    } catch {
      // Not open (yet or any more): its close event does the rest.
    }
  }

  close(refusal: Refusal): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#socket.close(refusal.code, closeReason(refusal.reason));
  }

  /** The socket closed on its own. */
  markGone(): void {
    this.#gone = true;
  }

  /** Drops the connection without a closing handshake (shutdown, after the grace period). */
  terminate(): void {
    this.#gone = true;
    this.#socket.terminate();
  }
}
