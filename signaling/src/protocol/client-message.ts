// What a client may send, checked field by field. Anything else is refused with one reason
// saying what was wrong; nothing a client sends can throw past parseClientMessage().
import { type RelayType, MessageType, messageTypeName } from './message-type.js';

/** Godot's peer ids are positive 32-bit signed integers (MultiplayerPeer). */
export const MAX_PEER_ID = 2 ** 31 - 1;

export type ClientMessage =
  | { readonly kind: 'join'; readonly lobby: string; readonly mesh: boolean }
  | { readonly kind: 'seal' }
  | { readonly kind: 'relay'; readonly type: RelayType; readonly to: number; readonly data: string };

export type ParsedClientMessage = { readonly ok: true; readonly message: ClientMessage } | { readonly ok: false; readonly reason: string };

const refuse = (reason: string): ParsedClientMessage => ({ ok: false, reason });

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** One text frame from a client, as JSON {"type", "id", "data"}; other keys are ignored. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('Invalid message: not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return refuse('Invalid message: not a JSON object');
  }
  const { type, id, data } = json as Record<string, unknown>;
  if (!isInteger(type, MessageType.JOIN, MessageType.SEAL)) {
    return refuse(`Invalid message: "type" must be an integer from ${MessageType.JOIN} to ${MessageType.SEAL}`);
  }
  if (!isInteger(id, 0, MAX_PEER_ID)) {
    return refuse(`Invalid message: "id" must be an integer from 0 to ${MAX_PEER_ID}`);
  }
  if (data !== undefined && typeof data !== 'string') {
    return refuse('Invalid message: "data" must be a string');
  }
  const payload = data ?? '';
  switch (type) {
    case MessageType.JOIN:
      if (id !== 0 && id !== 1) return refuse('Invalid JOIN: "id" must be 0 (mesh) or 1 (client-server)');
      return { ok: true, message: { kind: 'join', lobby: payload, mesh: id === 0 } };
    case MessageType.SEAL:
      return { ok: true, message: { kind: 'seal' } };
    case MessageType.OFFER:
    case MessageType.ANSWER:
    case MessageType.CANDIDATE:
      if (id === 0) return refuse(`Invalid ${messageTypeName(type)}: "id" must name the destination peer`);
      return { ok: true, message: { kind: 'relay', type, to: id, data: payload } };
    default:
      return refuse(`Invalid command: ${messageTypeName(type)} is sent by the server only`);
  }
}
