// Test support: a WebSocket client of the signalling server that keeps every message it
// receives, in order, and lets a test wait for the next one or for the close.
import { WebSocket } from 'ws';
import { MessageType } from '../protocol/message-type.js';

export interface Received {
  readonly type: number;
  readonly id: number;
  readonly data: string;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export interface Joined {
  readonly id: number;
  readonly mesh: boolean;
  readonly lobby: string;
  /** PEER_CONNECT ids received while joining. */
  readonly peers: number[];
}

export class TestClient {
  readonly socket: WebSocket;
  readonly received: Received[] = [];
  readonly closed: Promise<Closed>;
  #read = 0;
  #wake: (() => void) | null = null;
  #closedWith: Closed | null = null;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as Received);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.#closedWith = { code, reason: reason.toString('utf8') };
        resolve(this.#closedWith);
        this.#wake?.();
      });
    });
    socket.on('error', () => {}); // the close event reports what the test checks
  }

  static connect(url: string, options: { autoPong?: boolean } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { autoPong: options.autoPong ?? true });
      const client = new TestClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(type: number, id: number, data = ''): void {
    this.socket.send(JSON.stringify({ type, id, data }));
  }

  sendText(text: string | Buffer): void {
    this.socket.send(text, { binary: false });
  }

  sendBinary(bytes: Buffer): void {
    this.socket.send(bytes, { binary: true });
  }

  /** The next message not yet read; rejects on close or after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = this.received[this.#read];
      if (message) {
        this.#read++;
        return message;
      }
      if (this.#closedWith) throw new Error(`closed (${this.#closedWith.code} ${this.#closedWith.reason}) while waiting for a message`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  /** Messages received and not yet read. */
  unread(): Received[] {
    return this.received.slice(this.#read);
  }

  /** Marks every message received so far as read, and returns those that were unread. */
  drain(): Received[] {
    const unread = this.unread();
    this.#read = this.received.length;
    return unread;
  }

  /** Sends JOIN and reads the server's answer: ID, PEER_CONNECT for each peer, JOIN. */
  async join(lobby = '', mesh = true): Promise<Joined> {
    this.send(MessageType.JOIN, mesh ? 0 : 1, lobby);
    const id = await this.next();
    if (id.type !== MessageType.ID) throw new Error(`expected ID, got ${JSON.stringify(id)}`);
    const peers: number[] = [];
    for (;;) {
      const message = await this.next();
      if (message.type === MessageType.PEER_CONNECT) peers.push(message.id);
      else if (message.type === MessageType.JOIN) return { id: id.id, mesh: id.data === 'true', lobby: message.data, peers };
      else throw new Error(`unexpected while joining: ${JSON.stringify(message)}`);
    }
  }

  /** Closes, and waits until the server has seen it. */
  async leave(): Promise<void> {
    this.socket.close(1000);
    await this.closed;
  }

  /** Resolves once the close arrived; rejects after `timeoutMs`. */
  async closedWithin(timeoutMs = 5000): Promise<Closed> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A moment for messages in flight to arrive (for checks that nothing more came). */
export const settle = (ms = 100): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
