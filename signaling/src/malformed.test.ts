// Malformed input: each is refused with a close code and a reason naming the problem, and
// never disturbs the server or anyone else (a bystander pair keeps relaying throughout).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from './protocol/close-code.js';
import { MessageType } from './protocol/message-type.js';
import { SignalingServer } from './signaling-server.js';
import { TestClient } from './testing/test-client.js';

let server: SignalingServer;
let host: TestClient;
let guest: TestClient;
let guestId = 0;
let lobbyName = '';
let relays = 0;

beforeAll(async () => {
  server = await SignalingServer.listen({ host: '127.0.0.1', port: 0, limits: { maxMessagesPerSecond: 1_000_000 } });
  host = await TestClient.connect(server.url);
  guest = await TestClient.connect(server.url);
  lobbyName = (await host.join()).lobby;
  guestId = (await guest.join(lobbyName)).id;
  await host.next();
});

afterAll(async () => {
  await server.close();
});

/** The bystanders still relay both ways. */
async function bystandersFine(): Promise<void> {
  relays++;
  host.send(MessageType.OFFER, guestId, `o${relays}`);
  expect(await guest.next()).toEqual({ type: MessageType.OFFER, id: 1, data: `o${relays}` });
  guest.send(MessageType.ANSWER, 1, `a${relays}`);
  expect(await host.next()).toEqual({ type: MessageType.ANSWER, id: guestId, data: `a${relays}` });
}

const nested = `${'['.repeat(30_000)}${']'.repeat(30_000)}`; // within the default 64 KiB

// [what, the text sent, expected close code, expected reason]
const TEXT_CASES: [string, string, number, string][] = [
  ['not JSON', 'J: \n', CloseCode.PROTOCOL_ERROR, 'Invalid message: not JSON'],
  ['empty text', '', CloseCode.PROTOCOL_ERROR, 'Invalid message: not JSON'],
  ['truncated JSON', '{"type":0,"id":0,', CloseCode.PROTOCOL_ERROR, 'Invalid message: not JSON'],
  ['a JSON array', '[0,0,""]', CloseCode.PROTOCOL_ERROR, 'Invalid message: not a JSON object'],
  ['JSON null', 'null', CloseCode.PROTOCOL_ERROR, 'Invalid message: not a JSON object'],
  ['a JSON number', '4', CloseCode.PROTOCOL_ERROR, 'Invalid message: not a JSON object'],
  ['a JSON string', '"hello"', CloseCode.PROTOCOL_ERROR, 'Invalid message: not a JSON object'],
  ['deeply nested arrays', nested, CloseCode.PROTOCOL_ERROR, 'Invalid message: not a JSON object'],
  ['no type', '{"id":0,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['type as a string', '{"type":"0","id":0,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['fractional type', '{"type":4.5,"id":1,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['negative type', '{"type":-1,"id":0,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['type 8', '{"type":8,"id":0,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['type 1e400', '{"type":1e400,"id":0,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['no id', '{"type":4,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "id" must be an integer from 0 to 2147483647'],
  ['id as a string', '{"type":4,"id":"1","data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "id" must be an integer from 0 to 2147483647'],
  ['negative id', '{"type":4,"id":-1,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "id" must be an integer from 0 to 2147483647'],
  ['id 2^31', '{"type":4,"id":2147483648,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "id" must be an integer from 0 to 2147483647'],
  ['data as a number', '{"type":0,"id":0,"data":5}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "data" must be a string'],
  ['data as an object', '{"type":4,"id":1,"data":{}}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "data" must be a string'],
  ['data null', '{"type":4,"id":1,"data":null}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "data" must be a string'],
  ['type hidden in __proto__', '{"__proto__":{"type":0,"id":0,"data":""}}', CloseCode.PROTOCOL_ERROR, 'Invalid message: "type" must be an integer from 0 to 7'],
  ['JOIN with id 2', '{"type":0,"id":2,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid JOIN: "id" must be 0 (mesh) or 1 (client-server)'],
  ['ID from a client', '{"type":1,"id":5,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid command: ID is sent by the server only'],
  ['PEER_CONNECT from a client', '{"type":2,"id":5,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid command: PEER_CONNECT is sent by the server only'],
  ['PEER_DISCONNECT from a client', '{"type":3,"id":5,"data":""}', CloseCode.PROTOCOL_ERROR, 'Invalid command: PEER_DISCONNECT is sent by the server only'],
  ['OFFER to id 0', '{"type":4,"id":0,"data":"x"}', CloseCode.PROTOCOL_ERROR, 'Invalid OFFER: "id" must name the destination peer'],
  ['the Godot 3 demo protocol', 'O: 1\nv=0', CloseCode.PROTOCOL_ERROR, 'Invalid message: not JSON'],
];

describe('malformed input', () => {
  it.each(TEXT_CASES)('%s, before joining: refused, nobody else disturbed', async (_what, text, code, reason) => {
    const bad = await TestClient.connect(server.url);
    bad.sendText(text);
    expect(await bad.closedWithin()).toEqual({ code, reason });
    await bystandersFine();
  });

  it.each(TEXT_CASES.filter(([what]) => !what.startsWith('JOIN')))('%s, from a peer in the lobby: refused, nobody else disturbed', async (_what, text, code, reason) => {
    const bad = await TestClient.connect(server.url);
    const { id } = await bad.join(lobbyName);
    bad.sendText(text);
    expect(await bad.closedWithin()).toEqual({ code, reason });
    for (const bystander of [host, guest]) {
      expect(await bystander.next()).toEqual({ type: MessageType.PEER_CONNECT, id, data: '' });
      expect(await bystander.next()).toEqual({ type: MessageType.PEER_DISCONNECT, id, data: '' });
    }
    await bystandersFine();
  });

  it('a binary frame is 1003', async () => {
    const bad = await TestClient.connect(server.url);
    bad.sendBinary(Buffer.from('{"type":0,"id":0,"data":""}'));
    expect(await bad.closedWithin()).toEqual({ code: CloseCode.BINARY_MESSAGE, reason: 'Binary message: the protocol is JSON text' });
    await bystandersFine();
  });

  it('a text frame that is not UTF-8 is 1007 with a reason', async () => {
    const bad = await TestClient.connect(server.url);
    bad.sendText(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(await bad.closedWithin()).toEqual({ code: CloseCode.INVALID_UTF8, reason: 'Text message is not valid UTF-8' });
    await bystandersFine();
  });

  it('random bytes and mutated messages, 300 of them, never stop the server', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const valid = '{"type":4,"id":1,"data":"v=0"}';
    for (let i = 0; i < 300; i++) {
      const bad = await TestClient.connect(server.url);
      let text: string;
      if (i % 3 === 0) {
        text = String.fromCharCode(...Array.from({ length: 1 + Math.floor(random() * 40) }, () => Math.floor(random() * 0xd7ff)));
      } else {
        const chars = [...valid];
        for (let m = 0; m < 1 + Math.floor(random() * 4); m++) chars[Math.floor(random() * chars.length)] = String.fromCharCode(32 + Math.floor(random() * 95));
        text = chars.join('');
      }
      bad.sendText(text);
      const closed = await bad.closedWithin();
      expect([CloseCode.PROTOCOL_ERROR, CloseCode.LOBBY_UNAVAILABLE]).toContain(closed.code);
      expect(closed.reason.length).toBeGreaterThan(0);
      if (i % 50 === 0) await bystandersFine();
    }
    await bystandersFine();
    expect(server.lobbyCount).toBe(1);
    expect(server.clientCount).toBe(2);
  });
});
