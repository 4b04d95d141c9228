// Test support: wraps a transport and keeps each peer's handlers, so a test
// can play the stack's part for what a loopback cannot produce on demand
// (a FAILED connection, a description with several m-lines).
import type { Transport, TransportPeerHandlers } from '../transport/transport.js';

export interface CapturingTransport extends Transport {
  /** Handlers of every peer created, in creation order. */
  readonly handlers: TransportPeerHandlers[];
  readonly created: number;
}

export function capturing(inner: Transport): CapturingTransport {
  const handlers: TransportPeerHandlers[] = [];
  return {
    name: `${inner.name} (capturing)`,
    handlers,
    get created() {
      return handlers.length;
    },
    createPeer(config, h) {
      handlers.push(h);
      return inner.createPeer(config, h);
    },
  };
}
