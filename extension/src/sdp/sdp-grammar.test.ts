// Remote SDP against the RFC 8866 grammar: real-world descriptions pass, and
// each kind of malformed line is refused with a reason naming it.
import { describe, expect, it } from 'vitest';
import { checkSdp } from './sdp.js';
import { CHROMIUM_ANSWER, CHROMIUM_AV_OFFER, REAL_WORLD_ANSWERS, REAL_WORLD_OFFERS, replaceLine } from './sdp-samples.js';

const B = CHROMIUM_ANSWER;
const M = 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel';
const refused = (sdp: string) => {
  const check = checkSdp(sdp);
  return check.ok ? 'accepted' : check.reason;
};

describe('real-world descriptions are accepted', () => {
  it.each([...REAL_WORLD_ANSWERS, ...REAL_WORLD_OFFERS])('%s', (_name, sdp) => {
    expect(checkSdp(sdp)).toMatchObject({ ok: true });
  });

  it('Chromium audio + video + data offer: three mids in m-line order', () => {
    expect(checkSdp(CHROMIUM_AV_OFFER)).toEqual({ ok: true, summary: { mids: ['0', '1', '2'] } });
  });

  it('trailing spaces, a missing final line ending, "s= " and t=/r=/z= time descriptions', () => {
    expect(checkSdp(B.replace(/\r\n/g, '  \r\n'))).toMatchObject({ ok: true });
    expect(checkSdp(B.trimEnd())).toMatchObject({ ok: true });
    expect(checkSdp(replaceLine(B, 's=-', 's= '))).toMatchObject({ ok: true });
    const timed = replaceLine(B, 't=0 0', 't=3034423619 3042462419', 'r=604800 3600 0 90000', 'z=2882844526 -1h 2898848070 0');
    expect(checkSdp(timed)).toMatchObject({ ok: true });
  });

  it('optional session lines in their RFC 8866 §5 order', () => {
    const full = replaceLine(B, 's=-', 's=Game', 'i=lobby', 'u=https://example.org/game', 'e=ops@example.org', 'p=+1 555 0100', 'c=IN IP4 0.0.0.0', 'b=AS:100');
    expect(checkSdp(full)).toMatchObject({ ok: true });
  });
});

/** [what, sdp, what the reason must say] */
const STRUCTURE: Array<[string, string, RegExp]> = [
  ['a line without "="', replaceLine(B, 's=-', 's-'), /line 3 is not of the form/],
  ['an upper-case type letter', replaceLine(B, 's=-', 'S=-'), /line 3 is not of the form/],
  ['an empty line inside', replaceLine(B, 't=0 0', 't=0 0', ''), /line 5 is not of the form/],
  ['an unknown type letter', replaceLine(B, 's=-', 's=-', 'x=1'), /"x=" is not a session-level line/],
  ['no v= line first', replaceLine(B, 'v=0'), /does not start with "v="/],
  ['no o= line', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1'), /no o= line/],
  ['no s= line', replaceLine(B, 's=-'), /no s= line/],
  ['no t= line', replaceLine(B, 't=0 0'), /no t= line/],
  ['two o= lines', replaceLine(B, 's=-', 'o=- 1 1 IN IP4 127.0.0.1', 's=-'), /second "o=" line/],
  ['c= after t=', replaceLine(B, 't=0 0', 't=0 0', 'c=IN IP4 0.0.0.0'), /"c=" comes after "t="/],
  ['a= before t=', replaceLine(B, 's=-', 's=-', 'a=extmap-allow-mixed'), /"t=" comes after "a="/],
  ['r= before any t=', replaceLine(B, 't=0 0', 'r=604800 3600 0', 't=0 0'), /"r=" without a "t="/],
  ['t= inside a media section', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 't=0 0'), /"t=" is not a media-level line/],
  ['i= after c= in a media section', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'i=data'), /"i=" comes after "c="/],
  ['a NUL byte', replaceLine(B, 's=-', 's=\u0000'), /line 3 \(s=\).*NUL/],
  ['a CR inside a line', replaceLine(B, 's=-', 's=a\rb'), /line 3 \(s=\).*CR/],
  ['an empty s=', replaceLine(B, 's=-', 's='), /line 3 \(s=\): is empty/],
  ['no m= line', B.slice(0, B.indexOf('m=')), /no m= line/],
  ['no c= anywhere', replaceLine(B, 'c=IN IP4 0.0.0.0'), /no c= line/],
];

/** [what, sdp, what the reason must say] */
const FIELDS: Array<[string, string, RegExp]> = [
  ['v=1', replaceLine(B, 'v=0', 'v=1'), /\(v=\): the version must be 0/],
  ['o= with five fields', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- 1 2 IN IP4'), /\(o=\): needs 6 fields/],
  ['o= session id not a number', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- abc 2 IN IP4 127.0.0.1'), /session id must be digits/],
  ['o= negative version', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- 1 -2 IN IP4 127.0.0.1'), /session version must be digits/],
  ['o= unknown network type', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- 1 2 XX IP4 127.0.0.1'), /network type must be "IN"/],
  ['o= unknown address type', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- 1 2 IN IP5 127.0.0.1'), /address type must be "IP4" or "IP6"/],
  ['o= IPv4 address typed IP6', replaceLine(B, 'o=- 6925287453217045123 2 IN IP4 127.0.0.1', 'o=- 1 2 IN IP6 127.0.0.1'), /bad IP6 address/],
  ['t= with one time', replaceLine(B, 't=0 0', 't=0'), /\(t=\): must be two NTP times/],
  ['t= with text', replaceLine(B, 't=0 0', 't=now later'), /\(t=\): must be two NTP times/],
  ['t= not an NTP time', replaceLine(B, 't=0 0', 't=123 0'), /\(t=\): must be two NTP times/],
  ['r= with text', replaceLine(B, 't=0 0', 't=0 0', 'r=weekly 1h 0'), /\(r=\): must be an interval/],
  ['z= without an offset', replaceLine(B, 't=0 0', 't=0 0', 'z=2882844526'), /\(z=\): must be pairs/],
  ['c= with two fields', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4'), /\(c=\): needs 3 fields/],
  ['c= with a malformed IPv4 address', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 999.1.1.1'), /\(c=\): bad IP4 address "999.1.1.1"/],
  ['c= IPv6 address typed IP4', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 ::'), /\(c=\): bad IP4 address "::"/],
  ['c= with a bad TTL', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 224.2.1.1/x'), /\(c=\): bad address/],
  ['b= without a value', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'b=AS'), /\(b=\): must be <type>:<number>/],
  ['b= negative', replaceLine(B, 'c=IN IP4 0.0.0.0', 'c=IN IP4 0.0.0.0', 'b=AS:-30'), /\(b=\): must be <type>:<number>/],
  ['m= port 70000', replaceLine(B, M, 'm=application 70000 UDP/DTLS/SCTP webrtc-datachannel'), /\(m=\): bad port "70000"/],
  ['m= port text', replaceLine(B, M, 'm=application nine UDP/DTLS/SCTP webrtc-datachannel'), /\(m=\): bad port "nine"/],
  ['m= port count 0', replaceLine(B, M, 'm=application 9/0 UDP/DTLS/SCTP webrtc-datachannel'), /\(m=\): bad port "9\/0"/],
  ['m= double space', replaceLine(B, M, 'm=application  9 UDP/DTLS/SCTP webrtc-datachannel'), /\(m=\): bad port ""/],
  ['m= without a format', replaceLine(B, M, 'm=application 9 UDP/DTLS/SCTP'), /\(m=\): needs a media type, a port, a protocol and a format/],
  ['m= empty protocol part', replaceLine(B, M, 'm=application 9 UDP//SCTP webrtc-datachannel'), /\(m=\): bad protocol/],
  ['m= bad media type', replaceLine(B, M, 'm=appli(cation 9 UDP/DTLS/SCTP webrtc-datachannel'), /\(m=\): bad media type/],
  ['m= bad format', replaceLine(B, M, 'm=application 9 UDP/DTLS/SCTP webrtc"datachannel'), /\(m=\): bad format/],
];

describe('RFC 8866 §5: line structure and order', () => {
  it.each(STRUCTURE)('%s', (_what, sdp, reason) => {
    expect(refused(sdp)).toMatch(reason);
  });
});

describe('RFC 8866 §5.1–§5.14: fields of v= o= s= t= r= z= c= b= m=', () => {
  it.each(FIELDS)('%s', (_what, sdp, reason) => {
    expect(refused(sdp)).toMatch(reason);
  });
});
