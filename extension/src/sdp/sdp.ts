// Just enough SDP (RFC 8866) to check a description before the WebRTC stack
// sees it, to find m-line indexes for candidates, and to tell an unmodified
// description from a munged one.

export interface SdpSummary {
  /** The mid of each m-line, in order ('' where an m-line has none). */
  readonly mids: readonly string[];
}

export type SdpCheck = { ok: true; summary: SdpSummary } | { ok: false; reason: string };

/** Line form from RFC 8866 §5: `<type>=<value>`, type a single lower-case letter. */
const LINE = /^[a-z]=/;

export function splitLines(sdp: string): string[] {
  const lines = sdp.split(/\r?\n/).map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The description as lines without line-ending or trailing-space differences. */
export function normaliseSdp(sdp: string): string {
  return splitLines(sdp).join('\n');
}

export function checkSdp(sdp: string): SdpCheck {
  if (sdp.length === 0) return { ok: false, reason: 'the SDP is empty' };
  const lines = splitLines(sdp);
  if (lines[0] !== 'v=0') return { ok: false, reason: 'the SDP does not start with "v=0"' };
  const mids: string[] = [];
  let ufrag = false;
  let pwd = false;
  let fingerprint = false;
  for (const [i, line] of lines.entries()) {
    if (!LINE.test(line)) return { ok: false, reason: `SDP line ${i + 1} is not of the form "x=value"` };
    if (line.startsWith('m=')) {
      if (!/^m=\S+ \d+(\/\d+)? \S+( \S+)*$/.test(line)) return { ok: false, reason: `SDP line ${i + 1} is not a valid m= line` };
      mids.push('');
    } else if (line.startsWith('a=mid:') && mids.length > 0) {
      mids[mids.length - 1] = line.slice('a=mid:'.length);
    } else if (line.startsWith('a=ice-ufrag:')) {
      ufrag = true;
    } else if (line.startsWith('a=ice-pwd:')) {
      pwd = true;
    } else if (line.startsWith('a=fingerprint:')) {
      fingerprint = true;
    }
  }
  if (mids.length === 0) return { ok: false, reason: 'the SDP has no m= line' };
  if (!ufrag || !pwd) return { ok: false, reason: 'the SDP has no a=ice-ufrag / a=ice-pwd' };
  if (!fingerprint) return { ok: false, reason: 'the SDP has no a=fingerprint (DTLS is mandatory)' };
  return { ok: true, summary: { mids } };
}
