// Every limit the server enforces: its default (defined here and nowhere else), its
// command-line flag, the range a flag may set, and what a client is told when it hits it
// (the close codes are in protocol/close-code.ts).

export interface Limits {
  /** Largest WebSocket message a client may send, in bytes. An SDP offer is 1-10 KB. */
  readonly maxMessageBytes: number;
  /** Lobbies open at once. */
  readonly maxLobbies: number;
  /** Peers in one lobby (host included). */
  readonly maxPeersPerLobby: number;
  /** WebSockets connected at once, in a lobby or not. */
  readonly maxClients: number;
  /** Messages one client may send per second (a token bucket holding one second's worth). */
  readonly maxMessagesPerSecond: number;
  /** Time a client has after connecting to send JOIN, in milliseconds. */
  readonly joinTimeoutMs: number;
  /** Time without any message or pong from a client before it is dropped, in milliseconds
   *  (the server pings every third of it; WebSocket clients answer pings by themselves). */
  readonly idleTimeoutMs: number;
  /** Time between a lobby's sealing and the server closing its peers' WebSockets, in ms. */
  readonly sealCloseMs: number;
}

export interface LimitSpec {
  readonly key: keyof Limits;
  readonly flag: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

export const LIMIT_SPECS: readonly LimitSpec[] = [
  { key: 'maxMessageBytes', flag: '--max-message-bytes', default: 65_536, min: 256, max: 16 * 1024 * 1024, what: 'largest message a client may send, in bytes' },
  // 1024 lobbies and 4096 clients: the demo's server.js (MAX_LOBBIES, MAX_PEERS).
  { key: 'maxLobbies', flag: '--max-lobbies', default: 1024, min: 1, max: 1_000_000, what: 'lobbies open at once' },
  { key: 'maxPeersPerLobby', flag: '--max-peers-per-lobby', default: 32, min: 1, max: 4096, what: 'peers in one lobby' },
  { key: 'maxClients', flag: '--max-clients', default: 4096, min: 1, max: 1_000_000, what: 'WebSocket clients connected at once' },
  { key: 'maxMessagesPerSecond', flag: '--max-messages-per-second', default: 200, min: 1, max: 1_000_000, what: 'messages one client may send per second' },
  { key: 'joinTimeoutMs', flag: '--join-timeout-ms', default: 10_000, min: 10, max: 3_600_000, what: 'time to send JOIN after connecting, ms' },
  { key: 'idleTimeoutMs', flag: '--idle-timeout-ms', default: 60_000, min: 30, max: 86_400_000, what: 'time without a message or pong before a client is dropped, ms' },
  // 10 s: the demo's SEAL_CLOSE_TIMEOUT.
  { key: 'sealCloseMs', flag: '--seal-close-ms', default: 10_000, min: 0, max: 3_600_000, what: 'time from sealing to closing the lobby, ms' },
];

export const DEFAULT_LIMITS: Limits = Object.freeze(
  Object.fromEntries(LIMIT_SPECS.map((spec) => [spec.key, spec.default])) as unknown as Limits,
);
