// a= lines (RFC 8866 §5.13): `a=<attribute-name>[:<attribute-value>]`, the name
// a token and the value a byte-string (RFC 8866 §9). Attributes WebRTC data
// channels rely on have their values checked against their own RFCs; any other
// attribute only has to follow that general form.
import { ICE_CHARS, ICE_PWD_LENGTH, ICE_UFRAG_LENGTH, byteStringProblem, iceCredentialProblem, PORT_MAX, TOKEN, quote, readUint } from './abnf.js';
import { checkCandidateFields } from './candidate.js';
import type { SdpLine } from './sdp-lines.js';

export interface SdpAttribute {
  readonly name: string;
  /** Trailing white space removed; undefined for a property attribute (no ":"). */
  readonly value: string | undefined;
}

export type Level = 'session' | 'media';

interface AttributeRule {
  /** Where the attribute may appear; both when absent. */
  readonly level?: Level;
  /** At most one per section. */
  readonly once?: boolean;
  /** Checks the value; absent for a property attribute, which takes none. */
  readonly value?: (value: string) => string | undefined;
  /** The value check quotes the offending part itself (a candidate line is long). */
  readonly quotes?: boolean;
}

/** RFC 4145 §4: role = "active" / "passive" / "actpass" / "holdconn". */
const SETUP_ROLES = new Set(['active', 'passive', 'actpass', 'holdconn']);
/** RFC 8122 §5 hash functions (names compared case-insensitively) and their digest sizes in bytes. */
const DIGEST_BYTES: Record<string, number> = { 'sha-1': 20, 'sha-224': 28, 'sha-256': 32, 'sha-384': 48, 'sha-512': 64, md5: 16, md2: 16 };

const flag: AttributeRule = {};
const tokenValue = (what: string) => (value: string) => (TOKEN.test(value) ? undefined : `must be ${what} (a token)`);

const RULES: Record<string, AttributeRule> = {
  // RFC 8866 §6.7: direction; RFC 8839 §5.3 ice-lite; RFC 8840 end-of-candidates; RFC 8285 §6
  // extmap-allow-mixed; RFC 5761 rtcp-mux; RFC 8858 rtcp-mux-only; RFC 5506 rtcp-rsize; RFC 9143 bundle-only.
  sendrecv: flag,
  sendonly: flag,
  recvonly: flag,
  inactive: flag,
  'ice-lite': { level: 'session' },
  'end-of-candidates': flag,
  'extmap-allow-mixed': flag,
  'rtcp-mux': flag,
  'rtcp-mux-only': flag,
  'rtcp-rsize': flag,
  'bundle-only': { level: 'media' },
  /** RFC 5888 §4: mid = identification-tag = token, media level. */
  mid: { level: 'media', once: true, value: tokenValue('an identification tag') },
  /** RFC 5888 §5: group = semantics *(SP identification-tag), session level. */
  group: { level: 'session', value: checkGroup },
  setup: { once: true, value: (v) => (SETUP_ROLES.has(v) ? undefined : 'must be active, passive, actpass or holdconn (RFC 4145 §4)') },
  fingerprint: { value: checkFingerprint },
  'ice-ufrag': { once: true, value: (v) => iceCredentialProblem(v, ICE_UFRAG_LENGTH) },
  'ice-pwd': { once: true, value: (v) => iceCredentialProblem(v, ICE_PWD_LENGTH) },
  'ice-options': { value: checkIceOptions },
  candidate: { level: 'media', value: (v) => checkCandidateFields(v.split(' ')), quotes: true },
  /** RFC 8841 §6: max-message-size = 1*DIGIT, 0 meaning no limit; media level. */
  'max-message-size': { level: 'media', once: true, value: (v) => (/^\d+$/.test(v) ? undefined : 'must be an integer of 0 or more (RFC 8841 §6)') },
  /** RFC 8841 §5: sctp-port = 1*5DIGIT, 0 to 65535; media level. */
  'sctp-port': { level: 'media', once: true, value: (v) => (/^\d{1,5}$/.test(v) && Number(v) <= PORT_MAX ? undefined : `must be a port, 0 to ${PORT_MAX} (RFC 8841 §5)`) },
  /** draft-ietf-mmusic-sctp-sdp-05 §5 (before RFC 8841, still sent by older peers): <port> <app> [<streams>]. */
  sctpmap: { level: 'media', value: checkSctpmap },
};

/** Splits an a= line into name and value; returns a reason when even that form is broken. */
export function readAttribute(line: SdpLine): SdpAttribute | string {
  const colon = line.raw.indexOf(':');
  const name = colon < 0 ? line.value : line.raw.slice(0, colon);
  if (!TOKEN.test(name)) return `SDP line ${line.number}: bad attribute name ${quote(name)}`;
  if (colon < 0) return { name, value: undefined };
  const raw = line.raw.slice(colon + 1);
  const problem = byteStringProblem(raw);
  if (problem !== undefined) return `SDP line ${line.number} (a=${name}): the value ${problem}`;
  return { name, value: raw.trimEnd() };
}

/** Checks a known attribute's value and level; `seen` holds the names already met in this section. */
export function checkAttribute(line: SdpLine, attribute: SdpAttribute, level: Level, seen: Set<string>): string | undefined {
  const rule = Object.prototype.hasOwnProperty.call(RULES, attribute.name) ? RULES[attribute.name] : undefined;
  if (!rule) return undefined;
  const where = `SDP line ${line.number} (a=${attribute.name})`;
  if (rule.level !== undefined && rule.level !== level) return `${where}: only allowed at ${rule.level} level`;
  if (rule.once && seen.has(attribute.name)) return `${where}: appears twice in one section`;
  seen.add(attribute.name);
  if (!rule.value) return attribute.value === undefined ? undefined : `${where}: takes no value, got ${quote(attribute.value)}`;
  if (attribute.value === undefined || attribute.value === '') return `${where}: needs a value`;
  const problem = rule.value(attribute.value);
  if (problem === undefined) return undefined;
  return rule.quotes ? `${where}: ${problem}` : `${where}: ${problem}, got ${quote(attribute.value)}`;
}

function checkGroup(value: string): string | undefined {
  const [semantics, ...tags] = value.split(' ');
  if (!TOKEN.test(semantics!)) return 'must start with the group semantics (RFC 5888 §5)';
  return tags.every((tag) => TOKEN.test(tag)) ? undefined : 'must list identification tags separated by single spaces (RFC 5888 §5)';
}

/** RFC 8122 §5: fingerprint = hash-func SP 2UHEX *(":" 2UHEX); lower-case hex is accepted too. */
function checkFingerprint(value: string): string | undefined {
  const [hash, digest, ...rest] = value.split(' ');
  if (rest.length > 0 || digest === undefined || !TOKEN.test(hash!)) return 'must be "<hash function> <hex bytes>" (RFC 8122 §5)';
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2})*$/.test(digest)) return 'must be hex bytes separated by ":" (RFC 8122 §5)';
  const expected = DIGEST_BYTES[hash!.toLowerCase()];
  const bytes = (digest.length + 1) / 3;
  if (expected !== undefined && bytes !== expected) return `a ${hash} digest has ${expected} bytes, not ${bytes}`;
  return undefined;
}

/**
 * RFC 8839 §5.6: ice-option-tag *(SP ice-option-tag), each 1*ice-char.
 * libdatachannel writes "ice2,trickle", so a comma separates tags as well.
 */
function checkIceOptions(value: string): string | undefined {
  return value.split(/[ ,]/).every((tag) => ICE_CHARS.test(tag)) ? undefined : 'must be ICE option tags (RFC 8839 §5.6)';
}

function checkSctpmap(value: string): string | undefined {
  const [port, app, streams, ...rest] = value.split(' ');
  const ok = readUint(port!, PORT_MAX) !== undefined && app !== undefined && TOKEN.test(app) && rest.length === 0 && (streams === undefined || /^\d+$/.test(streams));
  return ok ? undefined : 'must be "<port> <protocol> [<streams>]"';
}
