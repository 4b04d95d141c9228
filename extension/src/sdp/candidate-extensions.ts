// What follows the candidate type in an ICE candidate line (RFC 8839 §5.1):
//   [SP rel-addr] [SP rel-port] *(SP cand-extension)
//   rel-addr = "raddr" SP connection-address    rel-port = "rport" SP port
//   cand-extension = extension-att-name SP extension-att-value
//   extension-att-name = token                  extension-att-value = *VCHAR
// Pairs of a name and a value, each name once. The values of the extensions
// browsers send are checked too: a malformed one is refused here rather than
// half-understood by the stack.
import { ICE_UFRAG_LENGTH, PORT_MAX, iceCredentialProblem, TOKEN, quote, readUint } from './abnf.js';
import { isHost } from './host.js';

/** RFC 8839 §5.1 extension-att-value: *VCHAR (%x21-7E). */
const VCHARS = /^[\x21-\x7e]+$/;
/** libwebrtc's candidate fields: generation is a uint32, network-id and network-cost uint16. */
const UINT32_MAX = 0xffffffff;
const UINT16_MAX = 0xffff;
/** RFC 6544 §4.5: tcp-type = "active" / "passive" / "so". */
const TCP_TYPES = new Set(['active', 'passive', 'so']);

type ValueCheck = (value: string, transport: string) => string | undefined;

const uint = (max: number, what: string): ValueCheck => (value) =>
  readUint(value, max) === undefined ? `must be ${what} (an integer from 0 to ${max})` : undefined;

/** The extensions with a known value syntax; any other token name takes *VCHAR. */
const KNOWN: Record<string, ValueCheck> = {
  raddr: (value) => (isHost(value) ? undefined : 'must be an IP address or a host name (RFC 8839 §5.1 rel-addr)'),
  rport: uint(PORT_MAX, 'a port (RFC 8839 §5.1 rel-port)'),
  generation: uint(UINT32_MAX, 'an ICE generation'),
  'network-id': uint(UINT16_MAX, 'a network id'),
  'network-cost': uint(UINT16_MAX, 'a network cost'),
  ufrag: (value) => iceCredentialProblem(value, ICE_UFRAG_LENGTH),
  tcptype: (value, transport) => {
    if (transport !== 'tcp') return 'only belongs to a TCP candidate (RFC 6544 §4.5)';
    return TCP_TYPES.has(value) ? undefined : 'must be active, passive or so (RFC 6544 §4.5)';
  },
};

/** Checks the fields after "typ <type>"; returns what is wrong, or undefined. */
export function checkCandidateExtensions(fields: readonly string[], transport: string): string | undefined {
  if (fields.length % 2 !== 0) return `the extension attribute ${quote(fields[fields.length - 1]!)} has no value`;
  const seen = new Set<string>();
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (!TOKEN.test(name)) return `bad extension attribute name ${quote(name)}`;
    if (seen.has(name)) return `the extension attribute "${name}" appears twice`;
    seen.add(name);
    if (!VCHARS.test(value)) return `the extension attribute "${name}" has a bad value ${quote(value)}`;
    const known = Object.prototype.hasOwnProperty.call(KNOWN, name) ? KNOWN[name] : undefined;
    const problem = known?.(value, transport);
    if (problem !== undefined) return `"${name} ${value}": ${name} ${problem}`;
  }
  return undefined;
}
