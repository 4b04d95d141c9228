// ICE candidate lines against RFC 8839 §5.1, extension attributes included:
// real-world lines pass, each malformed field is refused with a reason.
import { describe, expect, it } from 'vitest';
import { checkCandidate } from './candidate.js';

const HOST = 'candidate:1467250027 1 udp 2122260223 192.168.1.20 54321 typ host';
const refused = (line: string) => {
  const check = checkCandidate(line);
  return check.ok ? 'accepted' : check.reason;
};

describe('real-world candidates are accepted', () => {
  it.each([
    ['Chromium host', `${HOST} generation 0 network-id 1 network-cost 10`],
    ['Chromium mDNS host', 'candidate:3521658452 1 udp 2122194687 4f1c5a2e-93b0-4d0e-8c53-7a9e21b6f0d4.local 54322 typ host generation 0 network-id 2'],
    ['Chromium srflx', 'candidate:842163049 1 udp 1686052607 203.0.113.7 54321 typ srflx raddr 192.168.1.20 rport 54321 generation 0 ufrag Qx7v network-id 1 network-cost 10'],
    ['Chromium relay', 'candidate:3052445633 1 udp 41885695 198.51.100.9 61234 typ relay raddr 203.0.113.7 rport 54321 generation 0 ufrag Qx7v network-id 1'],
    ['Chromium TCP active', 'candidate:2199032595 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active generation 0 network-id 1'],
    ['TCP passive and simultaneous-open', 'candidate:5 1 TCP 1518214911 192.168.1.20 50001 typ host tcptype passive'],
    ['TCP so', 'candidate:6 1 tcp 1518149375 192.168.1.20 50002 typ host tcptype so'],
    ['Firefox host', 'candidate:0 1 UDP 2122252543 192.168.1.30 50512 typ host'],
    ['Firefox IPv6', 'candidate:1 1 UDP 2122187007 2001:db8::30 50513 typ host'],
    ['Firefox srflx', 'candidate:3 1 UDP 1685987071 198.51.100.4 50512 typ srflx raddr 192.168.1.30 rport 50512'],
    ['libdatachannel', 'a=candidate:1 1 UDP 2122317823 127.0.0.1 41234 typ host'],
    ['libdatachannel srflx with 0.0.0.0', 'candidate:2 1 UDP 1686052863 203.0.113.8 41234 typ srflx raddr 0.0.0.0 rport 0'],
    ['an unknown extension with any visible value', `${HOST} x-custom v=1;q="z"`],
    ['a trailing line ending', `${HOST}\r\n`],
  ])('%s', (_what, line) => {
    expect(checkCandidate(line)).toMatchObject({ ok: true });
  });
});

/** [what, line, what the reason must say] */
const STANDARD_FIELDS: Array<[string, string, RegExp]> = [
  ['a foundation of 33 characters', HOST.replace('1467250027', 'f'.repeat(33)), /bad foundation/],
  ['component 257', HOST.replace(' 1 udp', ' 257 udp'), /bad component id "257"/],
  ['priority above 2^32 - 1', HOST.replace('2122260223', '4294967296'), /bad priority "4294967296"/],
  ['port 65536', HOST.replace('54321', '65536'), /bad port "65536"/],
  ['an IPv6 zone in the address', HOST.replace('192.168.1.20', 'fe80::1%eth0'), /bad address "fe80::1%eth0"/],
  ['a malformed IPv4 address', HOST.replace('192.168.1.20', '192.168.1.256'), /bad address "192.168.1.256"/],
  ['two spaces between fields', HOST.replace(' typ', '  typ'), /separated by single spaces/],
];

/** [what, extension text after the type, what the reason must say] */
const EXTENSIONS: Array<[string, string, RegExp]> = [
  ['generation x', 'generation x', /"generation x": generation must be an ICE generation \(an integer from 0 to 4294967295\)/],
  ['generation negative', 'generation -1', /generation must be an ICE generation/],
  ['generation a fraction', 'generation 0.5', /generation must be an ICE generation/],
  ['generation without a value', 'generation', /the extension attribute "generation" has no value/],
  ['network-id text', 'generation 0 network-id eth0', /network-id must be a network id \(an integer from 0 to 65535\)/],
  ['network-cost above 65535', 'network-cost 70000', /network-cost must be a network cost/],
  ['network-cost negative', 'network-cost -10', /network-cost must be a network cost/],
  ['raddr not an address', 'raddr bad_addr! rport 1', /raddr must be an IP address or a host name/],
  ['rport 70000', 'raddr 10.0.0.1 rport 70000', /rport must be a port/],
  ['rport without a value', 'raddr 10.0.0.1 rport', /"rport" has no value/],
  ['ufrag with "!"', 'ufrag Qx7v!', /ufrag must be 4 to 256 ICE characters/],
  ['ufrag of 3 characters', 'ufrag Qx7', /ufrag must be 4 to 256 ICE characters \(RFC 8839 §5.4\)/],
  ['tcptype unknown', 'tcptype sideways', /tcptype only belongs to a TCP candidate/],
  ['generation twice', 'generation 0 generation 1', /"generation" appears twice/],
  ['a name that is not a token', 'gen(eration) 0', /bad extension attribute name "gen\(eration\)"/],
  ['a control character in a value', 'x-custom a\u0001b', /"x-custom" has a bad value/],
  ['a non-ASCII value', 'x-custom é', /"x-custom" has a bad value/],
];

describe('RFC 8839 §5.1: the standard fields', () => {
  it.each(STANDARD_FIELDS)('%s', (_what, line, reason) => expect(refused(line)).toMatch(reason));
});

describe('RFC 8839 §5.1: extension attributes (name SP value; generation, network-id, network-cost are integers)', () => {
  it.each(EXTENSIONS)('%s', (_what, extensions, reason) => expect(refused(`${HOST} ${extensions}`)).toMatch(reason));

  it('tcptype must be active, passive or so on a TCP candidate (RFC 6544 §4.5)', () => {
    expect(refused('candidate:5 1 tcp 1518214911 192.168.1.20 9 typ host tcptype sideways')).toMatch(/tcptype must be active, passive or so/);
  });
});
