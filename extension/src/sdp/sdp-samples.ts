// Test data: descriptions shaped like the ones Chromium, Firefox and
// libdatachannel (webrtc-native, node-datachannel) send for a data channel,
// written for these tests from the RFCs and from the fields those stacks are
// known to emit. Every sample is well-formed; the grammar tests break one
// line of a sample at a time.

/** A DTLS fingerprint of the right size for its hash function (RFC 8122 §5). */
export function fingerprint(hash: 'sha-1' | 'sha-256' | 'sha-384' | 'sha-512', bytes = { 'sha-1': 20, 'sha-256': 32, 'sha-384': 48, 'sha-512': 64 }[hash]): string {
  const hex = Array.from({ length: bytes }, (_, i) => ((i * 73 + 41) & 0xff).toString(16).toUpperCase().padStart(2, '0'));
  return `a=fingerprint:${hash} ${hex.join(':')}`;
}

const crlf = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n`;

/** Chromium answering a data-channel offer: session-level extmap-allow-mixed and "msid-semantic: WMS". */
export const CHROMIUM_ANSWER = crlf([
  'v=0',
  'o=- 6925287453217045123 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  'a=ice-options:trickle',
  fingerprint('sha-256'),
  'a=setup:active',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
]);

/** Chromium offering a data channel. */
export const CHROMIUM_OFFER = CHROMIUM_ANSWER.replace('a=setup:active', 'a=setup:actpass').replace('o=- 6925287453217045123 2', 'o=- 4611731400430051336 2');

/** Chromium answering after gathering: a real port and address, inline candidates (host, mDNS, srflx, TCP), end-of-candidates, b=AS. */
export const CHROMIUM_ANSWER_GATHERED = crlf([
  'v=0',
  'o=- 6925287453217045123 3 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 54321 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 203.0.113.7',
  'b=AS:30',
  'a=candidate:1467250027 1 udp 2122260223 192.168.1.20 54321 typ host generation 0 network-id 1 network-cost 10',
  'a=candidate:3521658452 1 udp 2122194687 4f1c5a2e-93b0-4d0e-8c53-7a9e21b6f0d4.local 54322 typ host generation 0 network-id 2',
  'a=candidate:842163049 1 udp 1686052607 203.0.113.7 54321 typ srflx raddr 192.168.1.20 rport 54321 generation 0 ufrag Qx7v network-id 1 network-cost 10',
  'a=candidate:2199032595 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0 network-id 1 network-cost 10',
  'a=end-of-candidates',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  'a=ice-options:trickle',
  fingerprint('sha-256'),
  'a=setup:passive',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
]);

/** Firefox answering: session-level fingerprint, ice-options and msid-semantic; its 1 GiB max-message-size. */
export const FIREFOX_ANSWER = crlf([
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-128.0 3867442159207733410 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  fingerprint('sha-256'),
  'a=group:BUNDLE 0',
  'a=ice-options:trickle',
  'a=msid-semantic:WMS *',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=sendrecv',
  'a=ice-pwd:6b3e0f5d2c9a41e78f0b6d3c2a1e9f47',
  'a=ice-ufrag:9e2b4c71',
  'a=mid:0',
  'a=setup:active',
  'a=sctp-port:5000',
  'a=max-message-size:1073741823',
]);

/** Firefox offering. */
export const FIREFOX_OFFER = FIREFOX_ANSWER.replace('a=setup:active', 'a=setup:actpass');

/** Firefox answering after gathering: upper-case "UDP"/"TCP", IPv6, TCP active on port 9, end-of-candidates, sha-512. */
export const FIREFOX_ANSWER_GATHERED = crlf([
  'v=0',
  'o=mozilla...THIS_IS_SDPARTA-128.0 3867442159207733410 1 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  fingerprint('sha-512'),
  'a=group:BUNDLE 0',
  'a=ice-options:trickle',
  'a=msid-semantic:WMS *',
  'm=application 50512 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 192.168.1.30',
  'a=candidate:0 1 UDP 2122252543 192.168.1.30 50512 typ host',
  'a=candidate:1 1 UDP 2122187007 2001:db8::30 50513 typ host',
  'a=candidate:2 1 TCP 2105524479 192.168.1.30 9 typ host tcptype active',
  'a=candidate:3 1 UDP 1685987071 198.51.100.4 50512 typ srflx raddr 192.168.1.30 rport 50512',
  'a=sendrecv',
  'a=end-of-candidates',
  'a=ice-pwd:6b3e0f5d2c9a41e78f0b6d3c2a1e9f47',
  'a=ice-ufrag:9e2b4c71',
  'a=mid:0',
  'a=setup:passive',
  'a=sctp-port:5000',
  'a=max-message-size:1073741823',
]);

/** libdatachannel (webrtc-native, node-datachannel) answering: "ice2,trickle", session-level fingerprint. */
export const LIBDATACHANNEL_ANSWER = crlf([
  'v=0',
  'o=rtc 2983011455 0 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic:WMS *',
  'a=ice-options:ice2,trickle',
  fingerprint('sha-256'),
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  'a=setup:active',
  'a=ice-ufrag:pM3k',
  'a=ice-pwd:Xo1bR5sT8uV2wY4zA6cE9g',
]);

/** An IPv6-only answer: c=IN IP6 ::, an IPv6 origin, sha-384. */
export const IPV6_ANSWER = crlf([
  'v=0',
  'o=- 7010934751224468590 2 IN IP6 ::1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP6 ::',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  fingerprint('sha-384'),
  'a=setup:active',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:65536',
]);

/** The SCTP form browsers sent before RFC 8841 (Chromium before 2019, Firefox before 63): DTLS/SCTP and a=sctpmap. */
export const LEGACY_SCTPMAP_ANSWER = crlf([
  'v=0',
  'o=- 6148643454612116579 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=msid-semantic: WMS',
  'm=application 9 DTLS/SCTP 5000',
  'c=IN IP4 0.0.0.0',
  'b=AS:30',
  'a=ice-ufrag:FC2g',
  'a=ice-pwd:FAYzNn2P/NKl3nPazdVjK5Vj',
  fingerprint('sha-256'),
  'a=setup:active',
  'a=mid:0',
  'a=sctpmap:5000 webrtc-datachannel 1024',
]);

/** Chromium offering audio, video and a data channel in one BUNDLE group (only checked, never applied). */
export const CHROMIUM_AV_OFFER = crlf([
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 5b1b2c6a-0c0e-4a7e-9d1e-2f3a4b5c6d7e',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  'a=ice-options:trickle',
  fingerprint('sha-256'),
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=sendrecv',
  'a=msid:5b1b2c6a-0c0e-4a7e-9d1e-2f3a4b5c6d7e 0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=ssrc:1001 cname:4TOk42mSjXCkVIa6',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  'a=ice-options:trickle',
  fingerprint('sha-256'),
  'a=setup:actpass',
  'a=mid:1',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Qx7v',
  'a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe',
  'a=ice-options:trickle',
  fingerprint('sha-256'),
  'a=setup:actpass',
  'a=mid:2',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
]);

/** [name, description] of each answer to a libdatachannel offer of one data channel (mid "0"). */
export const REAL_WORLD_ANSWERS: ReadonlyArray<readonly [string, string]> = [
  ['Chromium', CHROMIUM_ANSWER],
  ['Chromium, gathered (candidates inline, b=AS, setup:passive)', CHROMIUM_ANSWER_GATHERED],
  ['Chromium with LF line endings', CHROMIUM_ANSWER.replace(/\r\n/g, '\n')],
  ['Firefox', FIREFOX_ANSWER],
  ['Firefox, gathered (IPv6 and TCP candidates, sha-512)', FIREFOX_ANSWER_GATHERED],
  ['libdatachannel / webrtc-native', LIBDATACHANNEL_ANSWER],
  ['IPv6 (c=IN IP6 ::, sha-384)', IPV6_ANSWER],
  ['legacy DTLS/SCTP with a=sctpmap', LEGACY_SCTPMAP_ANSWER],
];

/** [name, description] of offers a peer of ours may receive. */
export const REAL_WORLD_OFFERS: ReadonlyArray<readonly [string, string]> = [
  ['Chromium', CHROMIUM_OFFER],
  ['Firefox', FIREFOX_OFFER],
];

/**
 * `sdp` with its line `line` replaced by `replacement` (nothing: the line is
 * removed; several: all inserted). Throws when the line is not there, so a
 * test never passes on an SDP it did not break.
 */
export function replaceLine(sdp: string, line: string, ...replacement: string[]): string {
  const lines = sdp.split('\r\n');
  const at = lines.indexOf(line);
  if (at < 0) throw new Error(`the sample has no line ${JSON.stringify(line)}`);
  lines.splice(at, 1, ...replacement);
  return lines.join('\r\n');
}
