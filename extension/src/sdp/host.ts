// Host names and IP literals, as SDP addresses (RFC 8866 §9), ICE candidate
// addresses (RFC 8839 §5.1) and ICE server URLs (RFC 7064 §3.1, RFC 7065 §3.1)
// write them. The one definition the SDP, candidate and configuration checks use.
import { isIP } from 'node:net';

/** RFC 1035 §2.3.4: 63 bytes a label, 253 a name (255 on the wire, less the length bytes). */
const LABEL_MAX = 63;
const NAME_MAX = 253;

/** RFC 1123 §2.1: letters, digits and hyphens, never starting or ending with a hyphen. */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * A DNS host name (one trailing dot allowed). RFC 1123 §2.1: a valid host name
 * never has the dotted-decimal form, so a name whose last label is all digits
 * ("999.1.1.1", "127.1") is a malformed IPv4 address, not a name.
 */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > NAME_MAX) return false;
  const labels = name.split('.');
  if (!labels.every((label) => label.length <= LABEL_MAX && LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]!);
}

/** IPv4 dotted-quad or IPv6 text, without brackets or a zone ("%eth0"). */
export function ipFamily(text: string): 4 | 6 | undefined {
  if (text.includes('%')) return undefined;
  const family = isIP(text);
  return family === 4 || family === 6 ? family : undefined;
}

/** An IP literal or a host name. */
export function isHost(text: string): boolean {
  return ipFamily(text) !== undefined || isHostName(text);
}
