// Unknown keys in initialize()'s configuration are ignored, as the W3C
// RTCConfiguration dictionary ignores them. One that looks like a misspelt
// known key ("iceservers", "ice_servers") would otherwise make a game's TURN
// servers vanish without a word, so those get one warning line naming both.
import { type Dict, isDict } from './values.js';

/** The keys parsePeerConfig() reads, per dictionary (peer-config.ts, ice-server.ts). */
export const KNOWN_KEYS = {
  configuration: ['iceServers', 'iceTransportPolicy', 'libdatachannel'],
  iceServer: ['urls', 'username', 'credential'],
  libdatachannel: ['enableIceTcp', 'enableIceUdpMux', 'portRangeBegin', 'portRangeEnd', 'mtu', 'bindAddress', 'maxMessageSize'],
} as const;

/**
 * Keys of the W3C RTCConfiguration and RTCIceServer dictionaries (webrtc-pc;
 * credentialType from webrtc-extensions) that the stack has no use for:
 * ignored on purpose, never taken for a misspelling.
 */
const W3C_IGNORED = new Set(['bundlePolicy', 'rtcpMuxPolicy', 'certificates', 'iceCandidatePoolSize', 'credentialType']);

/** Up to this many single-character edits a key is taken for a misspelling (one for short keys). */
const MAX_EDITS = 2;
const SHORT_KEY = 5;

/** One warning naming every misspelt-looking key, or undefined. Only for a configuration that parsed. */
export function misspeltKeys(config: unknown): string | undefined {
  if (!isDict(config)) return undefined;
  const found: string[] = [];
  check(config, KNOWN_KEYS.configuration, '', found);
  if (Array.isArray(config.iceServers)) {
    for (const [i, entry] of config.iceServers.entries()) {
      if (isDict(entry)) check(entry, KNOWN_KEYS.iceServer, `iceServers[${i}].`, found);
    }
  }
  if (isDict(config.libdatachannel)) check(config.libdatachannel, KNOWN_KEYS.libdatachannel, 'libdatachannel.', found);
  return found.length === 0 ? undefined : found.join('; ');
}

function check(dict: Dict, known: readonly string[], prefix: string, found: string[]): void {
  for (const key of Object.keys(dict)) {
    if (known.includes(key) || W3C_IGNORED.has(key)) continue;
    const meant = resembles(key, known);
    if (meant !== undefined) found.push(`unknown key "${prefix}${key}" is ignored; did you mean "${prefix}${meant}"?`);
  }
}

/** The known key `key` looks like: equal but for case, "_", "-" and spaces, or a few edits away. */
export function resembles(key: string, known: readonly string[]): string | undefined {
  const folded = fold(key);
  const exact = known.find((k) => fold(k) === folded);
  if (exact !== undefined) return exact;
  const limit = folded.length <= SHORT_KEY ? 1 : MAX_EDITS;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const k of known) {
    const d = editDistance(folded, fold(k));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
