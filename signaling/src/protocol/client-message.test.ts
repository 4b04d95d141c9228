// What each valid client message parses to (the refusals are in malformed.test.ts, over the wire).
import { describe, expect, it } from 'vitest';
import { MAX_PEER_ID, parseClientMessage } from './client-message.js';
import { closeReason, MAX_CLOSE_REASON_BYTES } from './close-code.js';
import { MessageType, messageTypeName } from './message-type.js';
import { encodeServerMessage } from './server-message.js';

describe('parseClientMessage', () => {
  it.each([
    ['JOIN "" mesh', { type: 0, id: 0, data: '' }, { kind: 'join', lobby: '', mesh: true }],
    ['JOIN name client-server', { type: 0, id: 1, data: 'abc' }, { kind: 'join', lobby: 'abc', mesh: false }],
    ['JOIN without data', { type: 0, id: 0 }, { kind: 'join', lobby: '', mesh: true }],
    ['SEAL', { type: 7, id: 0, data: '' }, { kind: 'seal' }],
    ['SEAL with any id', { type: 7, id: 99 }, { kind: 'seal' }],
    ['OFFER', { type: 4, id: 1, data: 'v=0' }, { kind: 'relay', type: 4, to: 1, data: 'v=0' }],
    ['ANSWER', { type: 5, id: MAX_PEER_ID, data: 'v=0' }, { kind: 'relay', type: 5, to: MAX_PEER_ID, data: 'v=0' }],
    ['CANDIDATE', { type: 6, id: 7, data: '\n0\n0\ncandidate:x' }, { kind: 'relay', type: 6, to: 7, data: '\n0\n0\ncandidate:x' }],
    ['an integer written as 4.0', JSON.parse('{"type":4.0,"id":2.0,"data":""}') as object, { kind: 'relay', type: 4, to: 2, data: '' }],
    ['extra keys ignored', { type: 4, id: 2, data: 'x', extra: [1] }, { kind: 'relay', type: 4, to: 2, data: 'x' }],
  ])('%s', (_what, json, expected) => {
    expect(parseClientMessage(JSON.stringify(json))).toEqual({ ok: true, message: expected });
  });

  it('the JSON text Godot writes for a float field (4.0) is an integer', () => {
    expect(parseClientMessage('{"type":4.0,"id":1.0,"data":""}')).toEqual({ ok: true, message: { kind: 'relay', type: 4, to: 1, data: '' } });
  });
});

describe('encodeServerMessage', () => {
  it('writes type, id, data in that order, data always present', () => {
    expect(encodeServerMessage(MessageType.PEER_CONNECT, 5)).toBe('{"type":2,"id":5,"data":""}');
    expect(encodeServerMessage(MessageType.OFFER, 1, 'a\n"b"')).toBe('{"type":4,"id":1,"data":"a\\n\\"b\\""}');
  });
});

describe('names and reasons', () => {
  it('every message type has its name', () => {
    expect(Object.values(MessageType).map(messageTypeName)).toEqual(['JOIN', 'ID', 'PEER_CONNECT', 'PEER_DISCONNECT', 'OFFER', 'ANSWER', 'CANDIDATE', 'SEAL']);
    expect(messageTypeName(9)).toBe('unknown type 9');
  });

  it('closeReason fits a close frame without splitting a character', () => {
    expect(closeReason('short')).toBe('short');
    const long = 'é'.repeat(100); // 200 bytes
    const cut = closeReason(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(cut).toBe('é'.repeat(61));
  });
});
