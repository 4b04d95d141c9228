// How the server refuses something: it closes the client's WebSocket with a code and a
// reason, as the demo's servers do (the demo's client keeps both and prints them; the
// protocol has no error message). Every code the server uses is defined here once.

export const CloseCode = {
  /** RFC 6455 §7.4.1 1000 (normal closure): the demo's code when a sealed lobby closes. */
  SEAL_COMPLETE: 1000,
  /** RFC 6455 §7.4.1 1001 (going away): the server is shutting down. */
  SERVER_SHUTDOWN: 1001,
  /** RFC 6455 §7.4.1 1003 (unacceptable data): a binary frame; the protocol is text. */
  BINARY_MESSAGE: 1003,
  /** RFC 6455 §7.4.1 1007 (inconsistent data): a text frame that is not UTF-8 (ws's check). */
  INVALID_UTF8: 1007,
  /** RFC 6455 §7.4.1 1009 (message too big): over --max-message-bytes (ws's check). */
  MESSAGE_TOO_BIG: 1009,
  /** RFC 6455 §7.4.1 1011 (internal error): handling the client's message failed; a bug,
   *  logged, that costs this client its connection and nobody else anything. */
  INTERNAL_ERROR: 1011,
  /** 4000-4999 are private use (RFC 6455 §7.4.2). 4000 is the demo servers' code for a
   *  refused message: not JSON, a bad field, a type a client may not send, a bad destination. */
  PROTOCOL_ERROR: 4000,
  /** The lobby named in JOIN does not exist, or is sealed. */
  LOBBY_UNAVAILABLE: 4001,
  /** The lobby already holds --max-peers-per-lobby peers. */
  LOBBY_FULL: 4002,
  /** --max-lobbies lobbies are open: no new one. */
  TOO_MANY_LOBBIES: 4003,
  /** --max-clients WebSockets are connected: no new one. */
  TOO_MANY_CLIENTS: 4004,
  /** More than --max-messages-per-second messages in a second. */
  RATE_LIMITED: 4005,
  /** No JOIN within --join-timeout-ms of connecting. */
  JOIN_TIMEOUT: 4006,
  /** Nothing (no message, no pong) for --idle-timeout-ms. */
  IDLE_TIMEOUT: 4007,
  /** The host of a client-server lobby left: the lobby is closed (its clients only know the host). */
  HOST_LEFT: 4008,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the code. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** A refusal: the close code and the one-line reason the client receives. */
export interface Refusal {
  readonly code: CloseCode;
  readonly reason: string;
}

/** `text`, cut to fit a close frame without splitting a UTF-8 sequence. */
export function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_CLOSE_REASON_BYTES) return text;
  let end = MAX_CLOSE_REASON_BYTES;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--; // back to a sequence start
  return bytes.subarray(0, end).toString('utf8');
}
