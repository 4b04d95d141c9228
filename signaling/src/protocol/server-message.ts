// What the server sends: the JSON object {"type", "id", "data"}, keys in that order, `data`
// always present (the demo's client refuses a message whose "data" is not a string).
import type { MessageType } from './message-type.js';

export function encodeServerMessage(type: MessageType, id: number, data = ''): string {
  return JSON.stringify({ type, id, data });
}
