// Test support: a transport whose channels deliver messages a little later
// than their other callbacks, as node-datachannel can (one queue per callback
// kind), so a message can arrive after the channel's `closed`.
import type { Transport, TransportChannel, TransportChannelHandlers } from '../transport/transport.js';

const LATE_MS = 5;

function lateMessages(channel: TransportChannel): TransportChannel {
  return new Proxy(channel, {
    get(target, key, receiver) {
      if (key === 'setHandlers') {
        return (h: TransportChannelHandlers) =>
          target.setHandlers({ ...h, message: (data, isString) => void setTimeout(() => h.message(data, isString), LATE_MS) });
      }
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function reorderingMessages(inner: Transport): Transport {
  return {
    name: `${inner.name} (late messages)`,
    createPeer(config, handlers) {
      const peer = inner.createPeer(config, { ...handlers, dataChannel: (tc) => handlers.dataChannel(lateMessages(tc)) });
      return new Proxy(peer, {
        get(target, key, receiver) {
          if (key === 'createDataChannel') return (options: Parameters<typeof target.createDataChannel>[0]) => lateMessages(target.createDataChannel(options));
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  };
}

/** A transport whose peers report connection states late, after channels open. */
export function lateConnectionStates(inner: Transport): Transport {
  return {
    name: `${inner.name} (late connection states)`,
    createPeer: (config, handlers) =>
      inner.createPeer(config, { ...handlers, stateChange: (state) => void setTimeout(() => handlers.stateChange(state), 50) }),
  };
}
