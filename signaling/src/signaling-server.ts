// The WebSocket side: accepts clients (up to --max-clients), turns each text frame into a
// ClientMessage for the LobbyService, and enforces the per-client limits (message size
// through ws's maxPayload, messages per second, the join and idle timeouts). Whatever a
// client sends, the worst that happens is that this one client is closed with a reason.
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { Client } from './client.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { LobbyService } from './lobby-service.js';
import { CloseCode, type Refusal } from './protocol/close-code.js';
import { parseClientMessage } from './protocol/client-message.js';
import { socketClassWithReasons } from './socket-with-reasons.js';

export interface SignalingServerOptions {
  readonly host: string;
  /** 0 picks a free port (see `port` once listening). */
  readonly port: number;
  readonly limits?: Partial<Limits>;
  /** One line per lobby event and refusal; none when omitted. */
  readonly log?: (line: string) => void;
}

/** How long clients get to finish the closing handshake at shutdown before being dropped. */
export const SHUTDOWN_GRACE_MS = 1000;

const now = (): number => performance.now();

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class SignalingServer {
  readonly limits: Limits;
  readonly #wss: WebSocketServer;
  readonly #service: LobbyService;
  readonly #clients = new Set<Client>();
  readonly #log: (line: string) => void;
  readonly #sweep: ReturnType<typeof setInterval>;
  readonly #address: AddressInfo;
  #closed: Promise<void> | null = null;

  private constructor(wss: WebSocketServer, limits: Limits, log: (line: string) => void) {
    this.#wss = wss;
    this.#address = wss.address() as AddressInfo;
    this.limits = limits;
    this.#log = log;
    this.#service = new LobbyService(limits, log);
    wss.on('connection', (socket) => this.#accept(socket));
    this.#sweep = setInterval(() => this.#checkIdle(), Math.max(10, Math.floor(limits.idleTimeoutMs / 3)));
  }

  /** Starts listening; rejects when the address cannot be bound. */
  static listen(options: SignalingServerOptions): Promise<SignalingServer> {
    const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
    const log = options.log ?? (() => {});
    return new Promise((resolve, reject) => {
      const wss = new WebSocketServer({
        host: options.host,
        port: options.port,
        maxPayload: limits.maxMessageBytes,
        perMessageDeflate: false,
        WebSocket: socketClassWithReasons(limits),
      });
      wss.once('error', reject);
      wss.once('listening', () => {
        wss.off('error', reject);
        wss.on('error', (error) => log(`server error: ${error.message}`));
        resolve(new SignalingServer(wss, limits, log));
      });
    });
  }

  /** The port listened on (the one picked when asked for 0). */
  get port(): number {
    return this.#address.port;
  }

  get host(): string {
    return this.#address.address;
  }

  /** ws://host:port, with an IPv6 host in brackets. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `ws://${host}:${this.port}`;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  get lobbyCount(): number {
    return this.#service.lobbyCount;
  }

  #accept(socket: WebSocket): void {
    socket.on('error', (error) => this.#log(`client error: ${error.message}`));
    if (this.#closed || this.#clients.size >= this.limits.maxClients) {
      const refusal: Refusal = this.#closed
        ? { code: CloseCode.SERVER_SHUTDOWN, reason: 'Server is shutting down' }
        : { code: CloseCode.TOO_MANY_CLIENTS, reason: `Too many clients connected (the limit is ${this.limits.maxClients})` };
      this.#log(`connection refused: ${refusal.reason}`);
      socket.close(refusal.code, refusal.reason);
      return;
    }
    const client = new Client(socket, this.limits.maxMessagesPerSecond, now);
    this.#clients.add(client);
    client.joinTimer = setTimeout(() => {
      client.joinTimer = null;
      if (client.id === 0) this.#refuse(client, { code: CloseCode.JOIN_TIMEOUT, reason: `No JOIN within ${this.limits.joinTimeoutMs} ms of connecting` });
    }, this.limits.joinTimeoutMs);
    socket.on('message', (data, isBinary) => {
      try {
        this.#receive(client, data, isBinary);
      } catch (error) {
        this.#log(`internal error handling a message from peer ${client.id}: ${(error as Error).stack ?? String(error)}`);
        this.#refuse(client, { code: CloseCode.INTERNAL_ERROR, reason: 'Internal server error' });
      }
    });
    socket.on('pong', () => {
      client.lastSeen = now();
    });
    socket.on('close', () => {
      client.markGone();
      this.#forget(client);
    });
  }

  #receive(client: Client, data: RawData, isBinary: boolean): void {
    if (client.gone) return;
    client.lastSeen = now();
    if (!client.limiter.take()) {
      this.#refuse(client, { code: CloseCode.RATE_LIMITED, reason: `Too many messages (the limit is ${this.limits.maxMessagesPerSecond} per second)` });
      return;
    }
    if (isBinary) {
      this.#refuse(client, { code: CloseCode.BINARY_MESSAGE, reason: 'Binary message: the protocol is JSON text' });
      return;
    }
    const parsed = parseClientMessage(text(data));
    const refusal = parsed.ok ? this.#service.handle(client, parsed.message) : { code: CloseCode.PROTOCOL_ERROR, reason: parsed.reason };
    if (refusal) this.#refuse(client, refusal);
    else if (client.id !== 0 && client.joinTimer) {
      clearTimeout(client.joinTimer);
      client.joinTimer = null;
    }
  }

  /** Closes `client` with `refusal`; it leaves its lobby at once. */
  #refuse(client: Client, refusal: Refusal): void {
    this.#log(`peer ${client.id || '(not joined)'} refused: ${refusal.code} ${refusal.reason}`);
    this.#forget(client);
    client.close(refusal);
  }

  #forget(client: Client): void {
    if (client.joinTimer) clearTimeout(client.joinTimer);
    client.joinTimer = null;
    this.#clients.delete(client);
    this.#service.leave(client);
  }

  #checkIdle(): void {
    const limit = now() - this.limits.idleTimeoutMs;
    for (const client of [...this.#clients]) {
      if (client.lastSeen < limit) this.#refuse(client, { code: CloseCode.IDLE_TIMEOUT, reason: `Nothing received for ${this.limits.idleTimeoutMs} ms` });
      else client.ping();
    }
  }

  /** Closes every client (1001, "Server is shutting down"), then the listening socket. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearInterval(this.#sweep);
      const refusal: Refusal = { code: CloseCode.SERVER_SHUTDOWN, reason: 'Server is shutting down' };
      this.#service.closeAll(refusal);
      for (const client of [...this.#clients]) this.#refuse(client, refusal);
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      while (this.#wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const socket of this.#wss.clients) socket.terminate();
      await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    })();
    return this.#closed;
  }
}
