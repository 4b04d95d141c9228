// The fields of each SDP line type but a= (RFC 8866 §5.1–§5.14, ABNF in §9).
// Attributes are checked in sdp-attributes.ts.
import { NON_WS_STRING, byteStringProblem, PORT_MAX, TOKEN, quote, readUint } from './abnf.js';
import { ipFamily, isHostName } from './host.js';
import type { SdpLine } from './sdp-lines.js';

/** RFC 8866 §9: time = POS-DIGIT 9*DIGIT (NTP seconds), or "0" for "unbounded". */
const TIME = /^(0|[1-9]\d{9,})$/;
/** RFC 8866 §9: typed-time = 1*DIGIT [fixed-len-time-unit], the unit d, h, m or s. */
const TYPED_TIME = /^\d+[dhms]?$/;
/** RFC 8866 §9: integer = POS-DIGIT *DIGIT. */
const INTEGER = /^[1-9]\d*$/;

type FieldCheck = (value: string, line: SdpLine) => string | undefined;

/** The line's problem, or undefined. a= lines are not handled here. */
export function checkFields(line: SdpLine): string | undefined {
  const check = CHECKS[line.type];
  const problem = check?.(line.value, line);
  return problem === undefined ? undefined : `SDP line ${line.number} (${line.type}=): ${problem}`;
}

/** RFC 8866 §9 text fields (s= i= u= e= p= k=): a byte-string; "s= " is the RFC's own "no name". */
const text: FieldCheck = (_value, line) => byteStringProblem(line.raw);

const CHECKS: Record<string, FieldCheck> = {
  /** RFC 8866 §5.1: the version is 0. */
  v: (value) => (value === '0' ? undefined : `the version must be 0, got ${quote(value)}`),
  o: checkOrigin,
  s: text,
  i: text,
  u: text,
  e: text,
  p: text,
  k: text,
  c: checkConnection,
  b: checkBandwidth,
  t: checkTiming,
  r: checkRepeat,
  z: checkZone,
  m: checkMedia,
};

/** RFC 8866 §5.2: o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>. */
function checkOrigin(value: string): string | undefined {
  const fields = value.split(' ');
  if (fields.length !== 6) return `needs 6 fields separated by single spaces, got ${quote(value)}`;
  const [username, id, version, nettype, addrtype, address] = fields as [string, string, string, string, string, string];
  if (!NON_WS_STRING.test(username)) return `bad username ${quote(username)}`;
  if (!/^\d+$/.test(id)) return `the session id must be digits, got ${quote(id)}`;
  if (!/^\d+$/.test(version)) return `the session version must be digits, got ${quote(version)}`;
  return checkAddress(nettype, addrtype, address, false);
}

/** RFC 8866 §5.7: c=<nettype> <addrtype> <connection-address>. */
function checkConnection(value: string): string | undefined {
  const fields = value.split(' ');
  if (fields.length !== 3) return `needs 3 fields separated by single spaces, got ${quote(value)}`;
  return checkAddress(fields[0]!, fields[1]!, fields[2]!, true);
}

/**
 * RFC 8866 §5.7 and §9: nettype "IN" with addrtype "IP4" or "IP6" and an
 * address of that family or a host name; a connection address may carry the
 * multicast "/ttl" and "/count" suffixes.
 */
function checkAddress(nettype: string, addrtype: string, address: string, multicast: boolean): string | undefined {
  if (!TOKEN.test(nettype) || !TOKEN.test(addrtype)) return `bad network or address type ${quote(`${nettype} ${addrtype}`)}`;
  if (nettype !== 'IN') return `the network type must be "IN", got ${quote(nettype)}`;
  if (addrtype !== 'IP4' && addrtype !== 'IP6') return `the address type must be "IP4" or "IP6", got ${quote(addrtype)}`;
  const [host, ...suffixes] = multicast ? address.split('/') : [address];
  if (suffixes.length > 2 || !suffixes.every((s) => INTEGER.test(s))) return `bad address ${quote(address)}`;
  const family = ipFamily(host!);
  if (family === undefined ? !isHostName(host!) : `IP${family}` !== addrtype) return `bad ${addrtype} address ${quote(address)}`;
  return undefined;
}

/** RFC 8866 §5.8: b=<bwtype>:<bandwidth>, bandwidth 1*DIGIT. */
function checkBandwidth(value: string): string | undefined {
  const colon = value.indexOf(':');
  if (colon < 0 || !TOKEN.test(value.slice(0, colon)) || !/^\d+$/.test(value.slice(colon + 1))) {
    return `must be <type>:<number>, got ${quote(value)}`;
  }
  return undefined;
}

/** RFC 8866 §5.9: t=<start-time> <stop-time>. */
function checkTiming(value: string): string | undefined {
  const fields = value.split(' ');
  return fields.length === 2 && fields.every((f) => TIME.test(f)) ? undefined : `must be two NTP times such as "0 0", got ${quote(value)}`;
}

/** RFC 8866 §5.10: r=<repeat interval> <active duration> <offsets from start-time>. */
function checkRepeat(value: string): string | undefined {
  const fields = value.split(' ');
  if (fields.length < 3 || !/^[1-9]\d*[dhms]?$/.test(fields[0]!) || !fields.every((f) => TYPED_TIME.test(f))) {
    return `must be an interval, a duration and offsets, got ${quote(value)}`;
  }
  return undefined;
}

/** RFC 8866 §5.11: z=<adjustment time> <offset> ... in pairs, the offset may be negative. */
function checkZone(value: string): string | undefined {
  const fields = value.split(' ');
  const pairs = fields.length % 2 === 0 && fields.every((f, i) => (i % 2 === 0 ? TIME.test(f) : TYPED_TIME.test(f.replace(/^-/, ''))));
  return pairs ? undefined : `must be pairs of a time and an offset, got ${quote(value)}`;
}

/** RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
function checkMedia(value: string): string | undefined {
  const fields = value.split(' ');
  if (fields.length < 4) return `needs a media type, a port, a protocol and a format, got ${quote(value)}`;
  const [media, port, proto, ...formats] = fields as [string, string, string, ...string[]];
  if (!TOKEN.test(media)) return `bad media type ${quote(media)}`;
  const [number, count, ...rest] = port.split('/');
  if (readUint(number!, PORT_MAX) === undefined || rest.length > 0 || (count !== undefined && !INTEGER.test(count))) {
    return `bad port ${quote(port)} (0 to ${PORT_MAX})`;
  }
  // RFC 8866 §9: proto = token *("/" token).
  if (!proto.split('/').every((part) => TOKEN.test(part))) return `bad protocol ${quote(proto)}`;
  const format = formats.find((f) => !TOKEN.test(f));
  return format === undefined ? undefined : `bad format ${quote(format)}`;
}
