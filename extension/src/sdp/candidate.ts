// ICE candidate lines (RFC 8839 §5.1):
//   candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [extensions]
// Checked here so that a malformed line is ERR_INVALID_PARAMETER with a reason
// instead of an exception from the stack.
import { isIP } from 'node:net';

export type CandidateCheck = { ok: true; line: string } | { ok: false; reason: string };

const TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);
const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** Returns the line in the `candidate:...` form the stack takes. */
export function checkCandidate(text: string): CandidateCheck {
  let line = text.trim();
  if (line.startsWith('a=')) line = line.slice(2);
  if (!line.startsWith('candidate:')) return { ok: false, reason: 'a candidate starts with "candidate:"' };
  const fields = line.slice('candidate:'.length).split(/\s+/);
  if (fields.length < 8) return { ok: false, reason: 'a candidate has at least 8 fields' };
  const [foundation, component, transport, priority, address, port, typ, type] = fields as [string, ...string[]];
  if (!FOUNDATION.test(foundation)) return { ok: false, reason: `bad foundation ${JSON.stringify(foundation)}` };
  if (!/^\d{1,3}$/.test(component!) || Number(component) < 1 || Number(component) > 256) {
    return { ok: false, reason: `bad component id ${JSON.stringify(component)}` };
  }
  if (!/^(udp|tcp)$/i.test(transport!)) return { ok: false, reason: `unknown transport ${JSON.stringify(transport)}` };
  if (!/^\d{1,10}$/.test(priority!) || Number(priority) > 0xffffffff) return { ok: false, reason: `bad priority ${JSON.stringify(priority)}` };
  if (isIP(address!) === 0 && !HOSTNAME.test(address!)) return { ok: false, reason: `bad address ${JSON.stringify(address)}` };
  if (!/^\d{1,5}$/.test(port!) || Number(port) > 65535) return { ok: false, reason: `bad port ${JSON.stringify(port)}` };
  if (typ !== 'typ' || !TYPES.has(type!)) return { ok: false, reason: 'missing "typ host|srflx|prflx|relay"' };
  return { ok: true, line };
}
