// `WebRTCPeerConnection.initialize(configuration)`: the keys Godot documents
// (`iceServers`, `iceTransportPolicy`) and the `libdatachannel` sub-dictionary
// that webrtc-native users already write. Unknown keys are ignored; one that
// looks like a misspelt known key gets a warning (key-spelling.ts).
import { isIP } from 'node:net';
import { type IceServer, parseIceUrl } from './ice-server.js';
import { type Checked, type Dict, bad, checkBool, checkInt, checkString, describe, has, isDict, ok } from './values.js';

/** libdatachannel's own default and the largest record the bridge carries. */
export const MAX_MESSAGE_SIZE_LIMIT = 256 * 1024;
/** libdatachannel rejects an MTU below 576 (the IPv4 minimum, RFC 791). */
export const MTU_MIN = 576;
export const MTU_MAX = 65535;

export interface PeerConfig {
  readonly iceServers: readonly IceServer[];
  readonly iceTransportPolicy: 'all' | 'relay';
  readonly enableIceTcp: boolean;
  readonly enableIceUdpMux: boolean;
  readonly portRangeBegin?: number;
  readonly portRangeEnd?: number;
  readonly mtu?: number;
  readonly bindAddress?: string;
  readonly maxMessageSize?: number;
}

export const DEFAULT_PEER_CONFIG: PeerConfig = {
  iceServers: [],
  iceTransportPolicy: 'all',
  enableIceTcp: false,
  enableIceUdpMux: false,
};

export function parsePeerConfig(config: unknown): Checked<PeerConfig> {
  if (config === undefined || config === null) return ok(DEFAULT_PEER_CONFIG);
  if (!isDict(config)) return bad('configuration', `must be a Dictionary, got ${describe(config)}`);

  const servers = parseIceServers(config);
  if (!servers.ok) return servers;

  let policy: 'all' | 'relay' = 'all';
  const p = checkString(config, 'iceTransportPolicy', 'iceTransportPolicy');
  if (!p.ok) return p;
  if (p.value !== undefined) {
    if (p.value !== 'all' && p.value !== 'relay') return bad('iceTransportPolicy', `must be "all" or "relay", got ${JSON.stringify(p.value)}`);
    policy = p.value;
  }

  let ldc: Dict = {};
  if (has(config, 'libdatachannel')) {
    const value = config.libdatachannel;
    if (!isDict(value)) return bad('libdatachannel', `must be a Dictionary, got ${describe(value)}`);
    ldc = value;
  }
  const key = (k: string) => `libdatachannel.${k}`;
  const tcp = checkBool(ldc, 'enableIceTcp', key('enableIceTcp'));
  if (!tcp.ok) return tcp;
  const mux = checkBool(ldc, 'enableIceUdpMux', key('enableIceUdpMux'));
  if (!mux.ok) return mux;
  const begin = checkInt(ldc, 'portRangeBegin', key('portRangeBegin'), 1, 65535);
  if (!begin.ok) return begin;
  const end = checkInt(ldc, 'portRangeEnd', key('portRangeEnd'), 1, 65535);
  if (!end.ok) return end;
  if ((begin.value ?? 1024) > (end.value ?? 65535)) {
    return bad(key('portRangeBegin'), `must not be above portRangeEnd (${begin.value ?? 1024} > ${end.value ?? 65535})`);
  }
  const mtu = checkInt(ldc, 'mtu', key('mtu'), MTU_MIN, MTU_MAX);
  if (!mtu.ok) return mtu;
  const bind = checkString(ldc, 'bindAddress', key('bindAddress'));
  if (!bind.ok) return bind;
  if (bind.value !== undefined && isIP(bind.value) === 0) {
    return bad(key('bindAddress'), `must be an IPv4 or IPv6 address, got ${JSON.stringify(bind.value)}`);
  }
  const mms = checkInt(ldc, 'maxMessageSize', key('maxMessageSize'), 1, MAX_MESSAGE_SIZE_LIMIT);
  if (!mms.ok) return mms;

  return ok({
    iceServers: servers.value,
    iceTransportPolicy: policy,
    enableIceTcp: tcp.value ?? false,
    enableIceUdpMux: mux.value ?? false,
    ...(begin.value !== undefined ? { portRangeBegin: begin.value } : {}),
    ...(end.value !== undefined ? { portRangeEnd: end.value } : {}),
    ...(mtu.value !== undefined ? { mtu: mtu.value } : {}),
    ...(bind.value !== undefined ? { bindAddress: bind.value } : {}),
    ...(mms.value !== undefined ? { maxMessageSize: mms.value } : {}),
  });
}

function parseIceServers(config: Dict): Checked<IceServer[]> {
  if (!has(config, 'iceServers')) return ok([]);
  const list = config.iceServers;
  if (!Array.isArray(list)) return bad('iceServers', `must be an Array of Dictionary, got ${describe(list)}`);
  const servers: IceServer[] = [];
  for (const [i, entry] of list.entries()) {
    const path = `iceServers[${i}]`;
    if (!isDict(entry)) return bad(path, `must be a Dictionary, got ${describe(entry)}`);
    const username = checkString(entry, 'username', `${path}.username`);
    if (!username.ok) return username;
    const credential = checkString(entry, 'credential', `${path}.credential`);
    if (!credential.ok) return credential;
    if (!has(entry, 'urls')) return bad(`${path}.urls`, 'is required (a String or an Array of String)');
    const urls: unknown = entry.urls;
    const list2: unknown[] = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : [];
    if (typeof urls !== 'string' && !Array.isArray(urls)) {
      return bad(`${path}.urls`, `must be a String or an Array of String, got ${describe(urls)}`);
    }
    if (list2.length === 0) return bad(`${path}.urls`, 'must name at least one URL');
    for (const [j, url] of list2.entries()) {
      const urlPath = Array.isArray(urls) ? `${path}.urls[${j}]` : `${path}.urls`;
      if (typeof url !== 'string') return bad(urlPath, `must be a String, got ${describe(url)}`);
      const server = parseIceUrl(url, urlPath, username.value, credential.value);
      if (!server.ok) return server;
      servers.push(server.value);
    }
  }
  return ok(servers);
}
