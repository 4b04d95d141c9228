// a= lines: the general form (RFC 8866 §5.13) and the values of the attributes
// data channels rely on (RFC 8841, RFC 8839, RFC 8122, RFC 4145, RFC 5888,
// RFC 9143). Each malformed value is refused with a reason naming the line.
import { describe, expect, it } from 'vitest';
import { checkSdp } from './sdp.js';
import { CHROMIUM_ANSWER, CHROMIUM_AV_OFFER, FIREFOX_ANSWER, fingerprint, replaceLine } from './sdp-samples.js';

const B = CHROMIUM_ANSWER;
const FP = fingerprint('sha-256');
const refused = (sdp: string) => {
  const check = checkSdp(sdp);
  return check.ok ? 'accepted' : check.reason;
};
const media = (line: string, ...replacement: string[]) => replaceLine(B, line, ...replacement);
const after = (line: string, added: string) => replaceLine(B, line, line, added);

type Case = [string, string, RegExp];

const FORM: Case[] = [
  ['an empty attribute name', after('a=mid:0', 'a='), /bad attribute name ""/],
  ['a space in the name', after('a=mid:0', 'a=ice ufrag:x'), /bad attribute name "ice ufrag"/],
  ['a colon and no value', after('a=mid:0', 'a=x-custom:'), /\(a=x-custom\): the value is empty/],
  ['a NUL byte in the value', after('a=mid:0', 'a=x-custom:a\u0000b'), /\(a=x-custom\): the value holds a NUL/],
];

const MAX_MESSAGE_SIZE: Case[] = [
  ['not a number', media('a=max-message-size:262144', 'a=max-message-size:big'), /\(a=max-message-size\): must be an integer of 0 or more \(RFC 8841 §6\), got "big"/],
  ['negative', media('a=max-message-size:262144', 'a=max-message-size:-1'), /\(a=max-message-size\): must be an integer/],
  ['a fraction', media('a=max-message-size:262144', 'a=max-message-size:1.5'), /\(a=max-message-size\): must be an integer/],
  ['a hex number', media('a=max-message-size:262144', 'a=max-message-size:0x40000'), /\(a=max-message-size\): must be an integer/],
  ['empty', media('a=max-message-size:262144', 'a=max-message-size'), /\(a=max-message-size\): needs a value/],
  ['twice in one m= section', after('a=max-message-size:262144', 'a=max-message-size:65536'), /\(a=max-message-size\): appears twice/],
  ['at session level', replaceLine(B, 'a=extmap-allow-mixed', 'a=extmap-allow-mixed', 'a=max-message-size:1'), /\(a=max-message-size\): only allowed at media level/],
];

const SCTP_PORT: Case[] = [
  ['70000', media('a=sctp-port:5000', 'a=sctp-port:70000'), /\(a=sctp-port\): must be a port, 0 to 65535 \(RFC 8841 §5\), got "70000"/],
  ['negative', media('a=sctp-port:5000', 'a=sctp-port:-5000'), /\(a=sctp-port\): must be a port/],
  ['text', media('a=sctp-port:5000', 'a=sctp-port:sctp'), /\(a=sctp-port\): must be a port/],
  ['twice', after('a=sctp-port:5000', 'a=sctp-port:5001'), /\(a=sctp-port\): appears twice/],
  ['a=sctpmap with a bad port', media('a=sctp-port:5000', 'a=sctpmap:x webrtc-datachannel 1024'), /\(a=sctpmap\): must be "<port> <protocol> \[<streams>\]"/],
];

const BUNDLE_AND_MID: Case[] = [
  ['BUNDLE names a mid no m-line has', replaceLine(B, 'a=group:BUNDLE 0', 'a=group:BUNDLE 0 1'), /a=group:BUNDLE names the mid "1", which no m-line has \(RFC 9143\)/],
  ['BUNDLE names only an unknown mid', replaceLine(B, 'a=group:BUNDLE 0', 'a=group:BUNDLE data'), /a=group:BUNDLE names the mid "data"/],
  ['a group without semantics', replaceLine(B, 'a=group:BUNDLE 0', 'a=group: 0'), /\(a=group\): must start with the group semantics/],
  ['a group at media level', after('a=mid:0', 'a=group:BUNDLE 0'), /\(a=group\): only allowed at session level/],
  ['a mid with a space', media('a=mid:0', 'a=mid:0 1'), /\(a=mid\): must be an identification tag/],
  ['a mid at session level', replaceLine(B, 'a=extmap-allow-mixed', 'a=extmap-allow-mixed', 'a=mid:0'), /\(a=mid\): only allowed at media level/],
  ['two mids in one m= section', after('a=mid:0', 'a=mid:1'), /\(a=mid\): appears twice/],
  ['one mid on two m-lines', replaceLine(CHROMIUM_AV_OFFER, 'a=mid:1', 'a=mid:0'), /the mid "0" names two m-lines \(RFC 5888 §4\)/],
];

const DTLS: Case[] = [
  ['setup role unknown', media('a=setup:active', 'a=setup:client'), /\(a=setup\): must be active, passive, actpass or holdconn \(RFC 4145 §4\), got "client"/],
  ['setup twice', after('a=setup:active', 'a=setup:passive'), /\(a=setup\): appears twice/],
  ['fingerprint not hex', media(FP, `a=fingerprint:sha-256 ${FP.slice(-95).replace(/[0-9A-F]{2}$/, 'ZZ')}`), /\(a=fingerprint\): must be hex bytes separated by ":"/],
  ['fingerprint too short for sha-256', media(FP, 'a=fingerprint:sha-256 AB:CD:EF'), /\(a=fingerprint\): a sha-256 digest has 32 bytes, not 3/],
  ['fingerprint of sha-512 length labelled sha-384', media(FP, fingerprint('sha-512').replace('sha-512', 'sha-384')), /a sha-384 digest has 48 bytes, not 64/],
  ['fingerprint without digest', media(FP, 'a=fingerprint:sha-256'), /\(a=fingerprint\): must be "<hash function> <hex bytes>"/],
  ['fingerprint without colons', media(FP, `a=fingerprint:sha-256 ${'AB'.repeat(32)}`), /must be hex bytes separated by ":"/],
];

const ICE: Case[] = [
  ['ice-ufrag with "!"', media('a=ice-ufrag:Qx7v', 'a=ice-ufrag:Qx7v!'), /\(a=ice-ufrag\): must be 4 to 256 ICE characters \(RFC 8839 §5.4\)/],
  ['ice-ufrag over 256 characters', media('a=ice-ufrag:Qx7v', `a=ice-ufrag:${'u'.repeat(257)}`), /\(a=ice-ufrag\): must be 4 to 256 ICE characters/],
  ['ice-ufrag of 3 characters', media('a=ice-ufrag:Qx7v', 'a=ice-ufrag:Qx7'), /\(a=ice-ufrag\): must be 4 to 256 ICE characters/],
  ['ice-pwd with a space', media('a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe', 'a=ice-pwd:T2m9c0vF1bq8 yKJwZs4hPdLe'), /\(a=ice-pwd\): must be 22 to 256 ICE characters/],
  ['ice-pwd of 21 characters', media('a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe', 'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hP'), /\(a=ice-pwd\): must be 22 to 256 ICE characters/],
  ['ice-pwd over 256 characters', media('a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe', `a=ice-pwd:${'p'.repeat(257)}`), /\(a=ice-pwd\): must be 22 to 256 ICE characters/],
  ['ice-ufrag twice', after('a=ice-ufrag:Qx7v', 'a=ice-ufrag:Other'), /\(a=ice-ufrag\): appears twice/],
  ['ice-options with ";"', media('a=ice-options:trickle', 'a=ice-options:trickle;ice2'), /\(a=ice-options\): must be ICE option tags \(RFC 8839 §5.6\)/],
  ['ice-lite at media level', after('a=mid:0', 'a=ice-lite'), /\(a=ice-lite\): only allowed at session level/],
  ['end-of-candidates with a value', after('a=mid:0', 'a=end-of-candidates:yes'), /\(a=end-of-candidates\): takes no value/],
  ['a direction with a value', replaceLine(FIREFOX_ANSWER, 'a=sendrecv', 'a=sendrecv:1'), /\(a=sendrecv\): takes no value/],
  ['an inline candidate with "generation x"', after('a=mid:0', 'a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host generation x'), /\(a=candidate\): "generation x": generation must be an ICE generation/],
  ['an inline candidate with a bad port', after('a=mid:0', 'a=candidate:1 1 udp 2122260223 192.0.2.1 70000 typ host'), /\(a=candidate\): bad port "70000"/],
  ['a candidate at session level', replaceLine(B, 'a=extmap-allow-mixed', 'a=extmap-allow-mixed', 'a=candidate:1 1 udp 1 192.0.2.1 9 typ host'), /\(a=candidate\): only allowed at media level/],
];

describe('RFC 8866 §5.13: the a= line form', () => {
  it.each(FORM)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
  it('unknown attributes pass in that form (Chromium\'s "a=msid-semantic: WMS" with its space)', () => {
    expect(checkSdp(after('a=mid:0', 'a=x-custom:anything at all; even "quotes"'))).toMatchObject({ ok: true });
    expect(checkSdp(after('a=mid:0', 'a=x-flag'))).toMatchObject({ ok: true });
  });
});

describe('RFC 8841 §6: a=max-message-size is an integer >= 0, once, in the m= section', () => {
  it.each(MAX_MESSAGE_SIZE)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
  it('0 (no limit) and a value above 2^32 are well-formed', () => {
    for (const value of ['0', '4294967296']) {
      expect(checkSdp(media('a=max-message-size:262144', `a=max-message-size:${value}`))).toMatchObject({ ok: true });
    }
  });
});

describe('RFC 8841 §5: a=sctp-port is 0 to 65535', () => {
  it.each(SCTP_PORT)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
  it('0 and 65535 are well-formed', () => {
    for (const port of ['0', '65535']) expect(checkSdp(media('a=sctp-port:5000', `a=sctp-port:${port}`))).toMatchObject({ ok: true });
  });
});

describe('RFC 9143 / RFC 5888: every mid a BUNDLE group names is an m-line\'s a=mid', () => {
  it.each(BUNDLE_AND_MID)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
  it('an empty BUNDLE group and a description without a group are well-formed', () => {
    expect(checkSdp(replaceLine(B, 'a=group:BUNDLE 0', 'a=group:BUNDLE'))).toMatchObject({ ok: true });
    expect(checkSdp(replaceLine(B, 'a=group:BUNDLE 0'))).toMatchObject({ ok: true });
  });
});

describe('RFC 4145 §4 and RFC 8122 §5: a=setup and a=fingerprint', () => {
  it.each(DTLS)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
  it('sha-1, sha-384, sha-512, upper-case hash names and lower-case hex are accepted', () => {
    for (const line of [fingerprint('sha-1'), fingerprint('sha-384'), fingerprint('sha-512'), FP.replace('sha-256', 'SHA-256'), FP.toLowerCase()]) {
      expect(checkSdp(media(FP, line))).toMatchObject({ ok: true });
    }
  });
});

describe('RFC 8839: ICE attributes', () => {
  it.each(ICE)('%s', (_what, sdp, reason) => expect(refused(sdp)).toMatch(reason));
});
