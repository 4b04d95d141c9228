// ICE candidate lines (RFC 8839 §5.1):
//   candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [extensions]
// Checked here so that a malformed line is ERR_INVALID_PARAMETER with a reason
// instead of an exception from the stack. Fields are separated by single
// spaces (SP); the extensions are checked in candidate-extensions.ts.
import { ICE_CHARS, PORT_MAX, quote, readUint } from './abnf.js';
import { checkCandidateExtensions } from './candidate-extensions.js';
import { isHost } from './host.js';

export type CandidateCheck = { ok: true; line: string } | { ok: false; reason: string };

/** RFC 8839 §5.1: cand-type; the stack knows these four (RFC 8445 §5.1.1). */
const TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);
/** RFC 8839 §5.1: foundation = 1*32ice-char. */
const FOUNDATION_MAX = 32;
/** RFC 8445 §5.1.2.1: a component id is 1 to 256. */
const COMPONENT_MAX = 256;
/** RFC 8445 §5.1.2.1: the priority is a 32-bit unsigned integer. */
const PRIORITY_MAX = 0xffffffff;
/** RFC 8839 §5.1: transport = "UDP" / transport-extension; the stack does UDP and TCP (RFC 6544). */
const TRANSPORTS = /^(udp|tcp)$/i;

/** Returns the line in the `candidate:...` form the stack takes. */
export function checkCandidate(text: string): CandidateCheck {
  let line = text.trim();
  if (line.startsWith('a=')) line = line.slice(2);
  if (!line.startsWith('candidate:')) return { ok: false, reason: 'a candidate starts with "candidate:"' };
  const reason = checkCandidateFields(line.slice('candidate:'.length).split(' '));
  return reason === undefined ? { ok: true, line } : { ok: false, reason };
}

/** The fields after "candidate:"; returns what is wrong, or undefined. */
export function checkCandidateFields(fields: readonly string[]): string | undefined {
  if (fields.includes('')) return 'candidate fields are separated by single spaces';
  if (fields.length < 8) return 'a candidate has at least 8 fields';
  const [foundation, component, transport, priority, address, port, typ, type] = fields as [string, ...string[]];
  if (foundation.length > FOUNDATION_MAX || !ICE_CHARS.test(foundation)) return `bad foundation ${quote(foundation)}`;
  if (!/^\d{1,3}$/.test(component!) || Number(component) < 1 || Number(component) > COMPONENT_MAX) {
    return `bad component id ${quote(component!)}`;
  }
  if (!TRANSPORTS.test(transport!)) return `unknown transport ${quote(transport!)}`;
  if (!/^\d{1,10}$/.test(priority!) || Number(priority) > PRIORITY_MAX) return `bad priority ${quote(priority!)}`;
  if (!isHost(address!)) return `bad address ${quote(address!)}`;
  if (readUint(port!, PORT_MAX) === undefined) return `bad port ${quote(port!)}`;
  if (typ !== 'typ' || !TYPES.has(type!)) return 'missing "typ host|srflx|prflx|relay"';
  return checkCandidateExtensions(fields.slice(8), transport!.toLowerCase());
}
