// initialize(): unknown keys stay ignored (as the W3C dictionary ignores
// them), but one that looks like a misspelt known key is named in a warning.
import { describe, expect, it } from 'vitest';
import { KNOWN_KEYS, misspeltKeys, resembles } from './key-spelling.js';
import { parsePeerConfig } from './peer-config.js';

describe('a misspelt key is named with the key it resembles', () => {
  it.each([
    ['iceservers', 'iceServers'],
    ['ice_servers', 'iceServers'],
    ['IceServers', 'iceServers'],
    ['ice-servers', 'iceServers'],
    ['iceServer', 'iceServers'],
    ['iecServers', 'iceServers'],
    ['ice_transport_policy', 'iceTransportPolicy'],
    ['libDataChannel', 'libdatachannel'],
  ])('%s → %s', (key, meant) => {
    expect(resembles(key, KNOWN_KEYS.configuration)).toBe(meant);
  });

  it('inside a server entry and the libdatachannel dictionary too', () => {
    expect(resembles('user_name', KNOWN_KEYS.iceServer)).toBe('username');
    expect(resembles('credentail', KNOWN_KEYS.iceServer)).toBe('credential');
    expect(resembles('bind_address', KNOWN_KEYS.libdatachannel)).toBe('bindAddress');
    expect(resembles('MTU', KNOWN_KEYS.libdatachannel)).toBe('mtu');
  });

  it('keys that resemble nothing, and the W3C keys the stack ignores, are not taken for misspellings', () => {
    for (const key of ['someUnknownKey', 'servers', 'policy', 'debug']) expect(resembles(key, KNOWN_KEYS.configuration)).toBeUndefined();
    expect(misspeltKeys({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceCandidatePoolSize: 0, certificates: [] })).toBeUndefined();
    expect(misspeltKeys({ iceServers: [{ urls: 'turn:t.example', username: 'u', credential: 'c', credentialType: 'password' }] })).toBeUndefined();
  });

  it('one line for the whole configuration, naming each key and its path', () => {
    const warning = misspeltKeys({ ice_servers: [], libdatachannel: { bindaddress: '127.0.0.1' } });
    expect(warning).toBe(
      'unknown key "ice_servers" is ignored; did you mean "iceServers"?; unknown key "libdatachannel.bindaddress" is ignored; did you mean "libdatachannel.bindAddress"?',
    );
    expect(misspeltKeys({ iceServers: [{ urls: 'stun:s.example', usernme: 'u' }] })).toMatch(/"iceServers\[0\]\.usernme".*"iceServers\[0\]\.username"/);
  });

  it('a misspelt key is still ignored: the configuration parses as if it were absent', () => {
    const parsed = parsePeerConfig({ iceservers: [{ urls: 'stun:s.example' }] });
    expect(parsed.ok && parsed.value.iceServers).toEqual([]);
  });

  it('every known key is one parsePeerConfig() reads (a wrong type for it is refused naming it)', () => {
    const refusedKey = (config: unknown) => {
      const parsed = parsePeerConfig(config);
      return parsed.ok ? undefined : parsed.key;
    };
    for (const key of KNOWN_KEYS.configuration) expect(refusedKey({ [key]: 5 })).toBe(key);
    for (const key of KNOWN_KEYS.libdatachannel) expect(refusedKey({ libdatachannel: { [key]: {} } })).toBe(`libdatachannel.${key}`);
    for (const key of KNOWN_KEYS.iceServer) expect(refusedKey({ iceServers: [{ urls: 'turn:t.example', username: 'u', credential: 'c', [key]: {} }] })).toBe(`iceServers[0].${key}`);
  });
});
