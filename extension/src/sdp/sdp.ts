// SDP (RFC 8866) as far as the core needs it: a remote description is checked
// against the grammar before the WebRTC stack sees it (sdp-lines.ts for the
// shape, sdp-fields.ts for the fields, sdp-attributes.ts for a= lines), the
// m-line mids are read so candidates can find their m-line index, and an
// unmodified description can be told from a munged one.
import { quote } from './abnf.js';
import { type Level, type SdpAttribute, checkAttribute, readAttribute } from './sdp-attributes.js';
import { checkFields } from './sdp-fields.js';
import { type SdpLine, splitSections } from './sdp-lines.js';

export interface SdpSummary {
  /** The mid of each m-line, in order ('' where an m-line has none). */
  readonly mids: readonly string[];
}

export type SdpCheck = { ok: true; summary: SdpSummary } | { ok: false; reason: string };

export function splitLines(sdp: string): string[] {
  const lines = sdp.split(/\r?\n/).map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The description as lines without line-ending or trailing-space differences. */
export function normaliseSdp(sdp: string): string {
  return splitLines(sdp).join('\n');
}

interface Section {
  readonly attributes: ReadonlyMap<string, readonly string[]>;
  readonly hasConnection: boolean;
}

export function checkSdp(sdp: string): SdpCheck {
  if (sdp.length === 0) return { ok: false, reason: 'the SDP is empty' };
  const split = splitSections(sdp);
  if (!split.ok) return split;
  const { session: sessionLines, media: mediaLines } = split.sections;
  if (mediaLines.length === 0) return { ok: false, reason: 'the SDP has no m= line' };
  const session = readSection(sessionLines, 'session');
  if (typeof session === 'string') return { ok: false, reason: session };
  const media: Section[] = [];
  for (const lines of mediaLines) {
    const section = readSection(lines, 'media');
    if (typeof section === 'string') return { ok: false, reason: section };
    media.push(section);
  }
  const problem = checkSession(session, media);
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, summary: { mids: media.map((m) => m.attributes.get('mid')?.[0] ?? '') } };
}

/** Checks every line of one section; collects its attribute values by name. */
function readSection(lines: readonly SdpLine[], level: Level): Section | string {
  const attributes = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.type !== 'a') {
      const problem = checkFields(line);
      if (problem !== undefined) return problem;
      continue;
    }
    const attribute: SdpAttribute | string = readAttribute(line);
    if (typeof attribute === 'string') return attribute;
    const problem = checkAttribute(line, attribute, level, seen);
    if (problem !== undefined) return problem;
    attributes.set(attribute.name, [...(attributes.get(attribute.name) ?? []), attribute.value ?? '']);
  }
  return { attributes, hasConnection: lines.some((l) => l.type === 'c') };
}

/** What only the whole description can tell. */
function checkSession(session: Section, media: readonly Section[]): string | undefined {
  // RFC 8866 §5.7: a c= line at session level or in every media section.
  if (!session.hasConnection && media.some((m) => !m.hasConnection)) return 'an m= section has no c= line and there is none at session level (RFC 8866 §5.7)';
  const mids = media.map((m) => m.attributes.get('mid')?.[0]).filter((mid): mid is string => mid !== undefined);
  // RFC 5888 §4: a mid identifies one m-line.
  const twice = mids.find((mid, i) => mids.indexOf(mid) !== i);
  if (twice !== undefined) return `the mid ${quote(twice)} names two m-lines (RFC 5888 §4)`;
  // RFC 9143 (and RFC 5888 §5): each mid a BUNDLE group names is the a=mid of an m-line.
  for (const group of session.attributes.get('group') ?? []) {
    const [semantics, ...tags] = group.split(' ');
    const missing = semantics === 'BUNDLE' ? tags.find((tag) => !mids.includes(tag)) : undefined;
    if (missing !== undefined) return `a=group:BUNDLE names the mid ${quote(missing)}, which no m-line has (RFC 9143)`;
  }
  const has = (name: string) => session.attributes.has(name) || media.some((m) => m.attributes.has(name));
  if (!has('ice-ufrag') || !has('ice-pwd')) return 'the SDP has no a=ice-ufrag / a=ice-pwd';
  if (!has('fingerprint')) return 'the SDP has no a=fingerprint (DTLS is mandatory)';
  return undefined;
}
