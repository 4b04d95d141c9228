// `WebRTCPeerConnection.create_data_channel(label, options)`. Godot documents
// the W3C RTCDataChannelInit keys; Godot's own WebRTCMultiplayerPeer writes
// `maxPacketLifetime` (lower-case t), so both spellings mean the same thing.
import { type Checked, bad, checkBool, checkInt, checkString, describe, isDict, ok, utf8Length } from './values.js';

/** RFC 8832 §5.1: label and protocol lengths are 16-bit byte counts. */
export const MAX_LABEL_BYTES = 65535;
/** Stream ids are 16-bit; 65535 is reserved as "none" (RFC 8831 §6.5, Godot's `get_id`). */
export const MAX_STREAM_ID = 65534;
/** Godot's "not set" for id, lifetime and retransmits. */
export const UNSET = 65535;

export interface ChannelOptions {
  readonly label: string;
  readonly protocol: string;
  readonly negotiated: boolean;
  /** Only when negotiated. */
  readonly id?: number;
  readonly ordered: boolean;
  readonly maxPacketLifeTime?: number;
  readonly maxRetransmits?: number;
}

export interface ParsedChannelOptions {
  readonly options: ChannelOptions;
  /** Non-fatal remarks to log (an `id` that is ignored, for instance). */
  readonly warnings: readonly string[];
}

export function parseChannelOptions(label: unknown, raw: unknown): Checked<ParsedChannelOptions> {
  if (typeof label !== 'string') return bad('label', `must be a String, got ${describe(label)}`);
  if (utf8Length(label) > MAX_LABEL_BYTES) return bad('label', `is longer than ${MAX_LABEL_BYTES} UTF-8 bytes`);
  if (raw !== undefined && raw !== null && !isDict(raw)) return bad('options', `must be a Dictionary, got ${describe(raw)}`);
  const dict = isDict(raw) ? raw : {};
  const warnings: string[] = [];

  const negotiated = checkBool(dict, 'negotiated', 'negotiated');
  if (!negotiated.ok) return negotiated;
  const id = checkInt(dict, 'id', 'id', 0, MAX_STREAM_ID);
  if (!id.ok) return id;
  if (negotiated.value === true && id.value === undefined) return bad('id', 'is required when "negotiated" is true');
  if (negotiated.value !== true && id.value !== undefined) warnings.push('"id" is ignored unless "negotiated" is true');

  const ordered = checkBool(dict, 'ordered', 'ordered');
  if (!ordered.ok) return ordered;
  const lifeTime = checkInt(dict, 'maxPacketLifeTime', 'maxPacketLifeTime', 0, 65535);
  if (!lifeTime.ok) return lifeTime;
  const lifetime = checkInt(dict, 'maxPacketLifetime', 'maxPacketLifetime', 0, 65535);
  if (!lifetime.ok) return lifetime;
  if (lifeTime.value !== undefined && lifetime.value !== undefined && lifeTime.value !== lifetime.value) {
    return bad('maxPacketLifeTime', 'is given twice (also as maxPacketLifetime) with different values');
  }
  const maxPacketLifeTime = lifeTime.value ?? lifetime.value;
  const retransmits = checkInt(dict, 'maxRetransmits', 'maxRetransmits', 0, 65535);
  if (!retransmits.ok) return retransmits;
  if (maxPacketLifeTime !== undefined && retransmits.value !== undefined) {
    return bad('maxRetransmits', 'cannot be combined with maxPacketLifeTime');
  }
  const protocol = checkString(dict, 'protocol', 'protocol');
  if (!protocol.ok) return protocol;
  if (protocol.value !== undefined && utf8Length(protocol.value) > MAX_LABEL_BYTES) {
    return bad('protocol', `is longer than ${MAX_LABEL_BYTES} UTF-8 bytes`);
  }
  return ok({
    options: {
      label,
      protocol: protocol.value ?? '',
      negotiated: negotiated.value === true,
      ...(negotiated.value === true ? { id: id.value } : {}),
      ordered: ordered.value ?? true,
      ...(maxPacketLifeTime !== undefined ? { maxPacketLifeTime } : {}),
      ...(retransmits.value !== undefined ? { maxRetransmits: retransmits.value } : {}),
    },
    warnings,
  });
}
