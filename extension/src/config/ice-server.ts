// ICE server URLs: RFC 7064 (stun:, stuns:) and RFC 7065 (turn:, turns:,
// ?transport=udp|tcp). Parsed here so that a malformed URL is an Error with a
// message, never an exception inside the WebRTC stack (webrtc-native #145).
import { ipFamily, isHostName } from '../sdp/host.js';
import { type Checked, bad, ok } from './values.js';

export type IceScheme = 'stun' | 'stuns' | 'turn' | 'turns';
export type RelayTransport = 'udp' | 'tcp' | 'tls';

export interface IceServer {
  readonly scheme: IceScheme;
  /** Host name or IP literal, IPv6 without brackets. */
  readonly hostname: string;
  readonly port: number;
  /** Only for TURN: the relay transport, from the scheme and `?transport=`. */
  readonly relay?: RelayTransport;
  readonly username?: string;
  readonly credential?: string;
}

/** RFC 7064 §3.1 and RFC 7065 §3.1: 3478 for stun/turn, 5349 for stuns/turns. */
const DEFAULT_PORT: Record<IceScheme, number> = { stun: 3478, turn: 3478, stuns: 5349, turns: 5349 };

export function parseIceUrl(url: string, path: string, username?: string, credential?: string): Checked<IceServer> {
  // RFC 3986 §2: a URI holds no white space; a stray space is a typo to point out, not to guess past.
  if (/\s/.test(url)) return bad(path, `has white space in it, got ${JSON.stringify(url)}`);
  const match = /^(stuns?|turns?):(.*)$/i.exec(url);
  if (!match) return bad(path, `must start with stun:, stuns:, turn: or turns:, got ${JSON.stringify(url)}`);
  const scheme = match[1]!.toLowerCase() as IceScheme;
  let rest = match[2]!;
  if (rest.startsWith('//')) return bad(path, `ICE URLs have no "//" (RFC 7064), got ${JSON.stringify(url)}`);

  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  const isTurn = scheme === 'turn' || scheme === 'turns';
  let relay: RelayTransport | undefined;
  if (isTurn) relay = scheme === 'turns' ? 'tls' : 'udp';
  if (q >= 0) {
    const t = /^transport=(udp|tcp)$/i.exec(query);
    if (!isTurn || !t) return bad(path, `only turn: and turns: URLs take a query, and only ?transport=udp or ?transport=tcp, got ${JSON.stringify(url)}`);
    const transport = t[1]!.toLowerCase();
    if (scheme === 'turns' && transport === 'udp') return bad(path, `turns: runs over TLS and cannot use ?transport=udp`);
    relay = scheme === 'turns' ? 'tls' : (transport as RelayTransport);
  }

  let host = rest;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']');
    if (end < 0) return bad(path, `unclosed "[" in ${JSON.stringify(url)}`);
    host = rest.slice(1, end);
    const after = rest.slice(end + 1);
    if (after !== '' && !after.startsWith(':')) return bad(path, `unexpected text after "]" in ${JSON.stringify(url)}`);
    if (after.startsWith(':')) portText = after.slice(1);
    // RFC 7064 §3.1: IP-literal of RFC 3986, which has no zone ("%eth0").
    if (ipFamily(host) !== 6) return bad(path, `"[${host}]" is not an IPv6 address (without a zone)`);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      host = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    }
    if (host.includes(':')) return bad(path, `IPv6 addresses must be in brackets, got ${JSON.stringify(url)}`);
    if (ipFamily(host) !== 4 && !isHostName(host)) return bad(path, `has no valid IPv4 address or host name, got ${JSON.stringify(url)}`);
  }
  let port = DEFAULT_PORT[scheme];
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return bad(path, `has an invalid port ${JSON.stringify(portText)} (1 to 65535)`);
    }
    port = Number(portText);
  }
  if (isTurn && (username === undefined || credential === undefined)) {
    return bad(path, `a TURN server needs both "username" and "credential"`);
  }
  const server: IceServer = {
    scheme,
    hostname: host,
    port,
    ...(relay !== undefined ? { relay } : {}),
    ...(isTurn ? { username, credential } : {}),
  };
  return ok(server);
}
