// The shape of a session description (RFC 8866 §5): lines of the form
// "<type>=<value>", a session section in a fixed order, then media sections
// each starting with "m=". Fields inside the lines are checked in
// sdp-fields.ts and sdp-attributes.ts.
import { quote } from './abnf.js';

export interface SdpLine {
  /** 1-based, for error lines. */
  readonly number: number;
  readonly type: string;
  /** The value with the line ending and trailing white space removed. */
  readonly value: string;
  /** The value with only the line ending removed (text fields may end in a space). */
  readonly raw: string;
}

export interface SdpSections {
  readonly session: readonly SdpLine[];
  /** One array per media section, its m= line first. */
  readonly media: readonly (readonly SdpLine[])[];
}

export type Sections = { ok: true; sections: SdpSections } | { ok: false; reason: string };

/**
 * RFC 8866 §5: the order of the session-level lines (v o s i u e p c b, then
 * time descriptions t r z, then k a) and of the media-level ones (m i c b k a).
 * Lines of one type may repeat where the RFC says so ("*" below).
 */
const SESSION_ORDER = ['v', 'o', 's', 'i', 'u', 'e*', 'p*', 'c', 'b*', 't*', 'k', 'a*'] as const;
const MEDIA_ORDER = ['m', 'i', 'c*', 'b*', 'k', 'a*'] as const;
/** RFC 8866 §5: r= and z= belong to the time description that a t= line starts. */
const TIME_TYPES = new Set(['t', 'r', 'z']);

/** RFC 8866 §5: `<type>=<value>`, the type a single letter (lower case in every defined type). */
const LINE = /^([a-z])=(.*)$/s;

export function splitSections(sdp: string): Sections {
  const lines = sdp.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trimEnd() === '') lines.pop();
  const session: SdpLine[] = [];
  const media: SdpLine[][] = [];
  for (const [i, text] of lines.entries()) {
    const match = LINE.exec(text);
    if (!match) return { ok: false, reason: `SDP line ${i + 1} is not of the form "x=value": ${quote(text)}` };
    const line: SdpLine = { number: i + 1, type: match[1]!, raw: match[2]!, value: match[2]!.trimEnd() };
    if (line.type === 'm') media.push([line]);
    else if (media.length > 0) media[media.length - 1]!.push(line);
    else session.push(line);
  }
  const problem = checkOrder(session, SESSION_ORDER, 'session') ?? media.map((m) => checkOrder(m, MEDIA_ORDER, 'media')).find((p) => p !== undefined);
  if (problem !== undefined) return { ok: false, reason: problem };
  if (session[0]?.type !== 'v') return { ok: false, reason: 'the SDP does not start with "v="' };
  for (const required of ['o', 's', 't']) {
    if (!session.some((l) => l.type === required)) return { ok: false, reason: `the SDP has no ${required}= line (RFC 8866 §5)` };
  }
  return { ok: true, sections: { session, media } };
}

function checkOrder(lines: readonly SdpLine[], order: readonly string[], level: string): string | undefined {
  let last = -1;
  let lastType = '';
  let timed = false;
  for (const line of lines) {
    const key = level === 'session' && TIME_TYPES.has(line.type) ? 't' : line.type;
    const rank = order.findIndex((entry) => entry[0] === key);
    if (rank < 0) return `SDP line ${line.number}: "${line.type}=" is not a ${level}-level line (RFC 8866 §5)`;
    if (rank < last) return `SDP line ${line.number}: "${line.type}=" comes after "${lastType}=", out of the order of RFC 8866 §5`;
    if (rank === last && !order[rank]!.endsWith('*')) return `SDP line ${line.number}: a second "${line.type}=" line at ${level} level`;
    if (line.type === 't') timed = true;
    if ((line.type === 'r' || line.type === 'z') && !timed) return `SDP line ${line.number}: "${line.type}=" without a "t=" line before it`;
    last = rank;
    lastType = line.type;
  }
  return undefined;
}
