// ws closes a connection itself, with a code and no reason, when a frame breaks a rule it
// checks (RFC 6455 §7.4.1 codes): over maxPayload (1009), invalid UTF-8 (1007), a protocol
// violation (1002). This WebSocket class adds the reason the client then sees.
import { WebSocket } from 'ws';
import type { Limits } from './limits.js';
import { CloseCode } from './protocol/close-code.js';

/** RFC 6455 §7.4.1 1002: a frame that breaks the WebSocket protocol. */
const WEBSOCKET_PROTOCOL_ERROR = 1002;

export function socketClassWithReasons(limits: Limits): typeof WebSocket {
  const reasons = new Map<number, string>([
    [CloseCode.MESSAGE_TOO_BIG, `Message too big (the limit is ${limits.maxMessageBytes} bytes)`],
    [CloseCode.INVALID_UTF8, 'Text message is not valid UTF-8'],
    [WEBSOCKET_PROTOCOL_ERROR, 'WebSocket protocol error'],
  ]);
  return class SignalingSocket extends WebSocket {
    override close(code?: number, reason?: string | Buffer): void {
      super.close(code, reason ?? (code === undefined ? undefined : reasons.get(code)));
    }
  };
}
