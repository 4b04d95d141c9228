// The signalling server's public entry points (explicit names, docs/style.md item 8).
export { DEFAULT_HOST, DEFAULT_PORT, parseCommandLine, usage } from './command-line.js';
export type { ParsedCommandLine, ServerCommand } from './command-line.js';
export { DEFAULT_LIMITS, LIMIT_SPECS } from './limits.js';
export type { LimitSpec, Limits } from './limits.js';
export { main } from './main.js';
export { CloseCode, MAX_CLOSE_REASON_BYTES } from './protocol/close-code.js';
export { MAX_PEER_ID, parseClientMessage } from './protocol/client-message.js';
export type { ClientMessage } from './protocol/client-message.js';
export { MessageType } from './protocol/message-type.js';
export { encodeServerMessage } from './protocol/server-message.js';
export { SHUTDOWN_GRACE_MS, SignalingServer } from './signaling-server.js';
export type { SignalingServerOptions } from './signaling-server.js';
