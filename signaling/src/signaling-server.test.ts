// The protocol over real WebSockets on loopback, one test per behaviour: every message type
// either way, mesh and client-server lobbies, relaying, leaving, sealing, shutdown.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Limits } from './limits.js';
import { LobbyService } from './lobby-service.js';
import { CloseCode } from './protocol/close-code.js';
import { MessageType } from './protocol/message-type.js';
import { SignalingServer } from './signaling-server.js';
import { TestClient, settle } from './testing/test-client.js';

const { JOIN, ID, PEER_CONNECT, PEER_DISCONNECT, OFFER, ANSWER, CANDIDATE, SEAL } = MessageType;

let server: SignalingServer | null = null;
const clients: TestClient[] = [];

async function start(limits: Partial<Limits> = {}): Promise<SignalingServer> {
  server = await SignalingServer.listen({ host: '127.0.0.1', port: 0, limits });
  return server;
}

async function connect(): Promise<TestClient> {
  if (!server) throw new Error('no server');
  const client = await TestClient.connect(server.url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await server?.close();
  server = null;
});

describe('JOIN, ID, PEER_CONNECT', () => {
  it('JOIN with an empty name creates a lobby: ID 1 ("true" for mesh), then JOIN with its name', async () => {
    await start();
    const host = await connect();
    host.send(JOIN, 0, '');
    expect(await host.next()).toEqual({ type: ID, id: 1, data: 'true' });
    const joined = await host.next();
    expect(joined.type).toBe(JOIN);
    expect(joined.id).toBe(0);
    expect(joined.data).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(server?.lobbyCount).toBe(1);
  });

  it('a second peer gets ID, PEER_CONNECT 1, JOIN; the host gets PEER_CONNECT for it', async () => {
    await start();
    const host = await connect();
    const { lobby } = await host.join();
    const guest = await connect();
    guest.send(JOIN, 0, lobby);
    const id = await guest.next();
    expect(id.type).toBe(ID);
    expect(id.data).toBe('true');
    expect(id.id).toBeGreaterThanOrEqual(2);
    expect(id.id).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(await guest.next()).toEqual({ type: PEER_CONNECT, id: 1, data: '' });
    expect(await guest.next()).toEqual({ type: JOIN, id: 0, data: lobby });
    expect(await host.next()).toEqual({ type: PEER_CONNECT, id: id.id, data: '' });
  });

  it('in a mesh lobby every peer learns of every other, each id unique', async () => {
    await start();
    const peers = [await connect(), await connect(), await connect(), await connect()];
    const first = await peers[0]!.join();
    const joined = [first];
    for (const peer of peers.slice(1)) joined.push(await peer.join(first.lobby));
    const ids = joined.map((j) => j.id);
    expect(new Set(ids).size).toBe(4);
    for (let i = 0; i < 4; i++) {
      expect(joined[i]!.peers).toEqual(ids.slice(0, i));
      await settle(50);
      expect(peers[i]!.unread()).toEqual(ids.slice(i + 1).map((id) => ({ type: PEER_CONNECT, id, data: '' })));
    }
  });

  it('in a client-server lobby (JOIN id 1) clients see only the host and the host sees every client', async () => {
    await start();
    const host = await connect();
    const a = await connect();
    const b = await connect();
    const made = await host.join('', false);
    expect(made.mesh).toBe(false);
    const ja = await a.join(made.lobby, true); // the lobby's mode wins over the joiner's flag
    expect(ja.mesh).toBe(false);
    expect(ja.peers).toEqual([1]);
    const jb = await b.join(made.lobby, false);
    expect(jb.peers).toEqual([1]);
    await settle(50);
    expect(host.unread()).toEqual([ja.id, jb.id].map((id) => ({ type: PEER_CONNECT, id, data: '' })));
    expect(a.unread()).toEqual([]);
  });
});

describe('OFFER, ANSWER, CANDIDATE', () => {
  it('relays each to its destination with the sender id in place of the destination, data verbatim', async () => {
    await start();
    const host = await connect();
    const guest = await connect();
    const { lobby } = await host.join();
    const { id } = await guest.join(lobby);
    await host.next(); // PEER_CONNECT
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=x:ünïcødé ✓\r\n';
    guest.send(OFFER, 1, sdp);
    expect(await host.next()).toEqual({ type: OFFER, id, data: sdp });
    host.send(ANSWER, id, sdp);
    expect(await guest.next()).toEqual({ type: ANSWER, id: 1, data: sdp });
    const candidate = '\n0\n0\ncandidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host';
    host.send(CANDIDATE, id, candidate);
    guest.send(CANDIDATE, 1, candidate);
    expect(await guest.next()).toEqual({ type: CANDIDATE, id: 1, data: candidate });
    expect(await host.next()).toEqual({ type: CANDIDATE, id, data: candidate });
  });

  it('relays between two non-host peers of a mesh lobby', async () => {
    await start();
    const [h, a, b] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const ja = await a.join(lobby);
    const jb = await b.join(lobby);
    b.send(OFFER, ja.id, 'offer');
    await settle(50);
    expect(a.unread().at(-1)).toEqual({ type: OFFER, id: jb.id, data: 'offer' });
    expect(h.unread().filter((m) => m.type === OFFER)).toEqual([]);
  });

  it('refuses a relay to a peer outside the lobby, and, client-server, between two clients', async () => {
    await start();
    const [h, a, b, other] = [await connect(), await connect(), await connect(), await connect()];
    const { lobby } = await h.join('', false);
    await a.join(lobby);
    const jb = await b.join(lobby);
    const elsewhere = await other.join();
    a.send(OFFER, jb.id, 'x');
    expect(await a.closedWithin()).toEqual({ code: CloseCode.PROTOCOL_ERROR, reason: `Invalid destination: peer ${jb.id} is not a peer you can reach in this lobby` });
    b.send(OFFER, elsewhere.id + 7, 'x');
    expect((await b.closedWithin()).code).toBe(CloseCode.PROTOCOL_ERROR);
    h.send(OFFER, 1, 'x');
    expect((await h.closedWithin()).reason).toMatch(/^Invalid destination: peer 1 /);
  });

  it('drops a relay to a peer that just left instead of refusing the sender', async () => {
    await start();
    const [h, a] = [await connect(), await connect()];
    const { lobby } = await h.join();
    const ja = await a.join(lobby);
    await a.leave();
    h.send(CANDIDATE, ja.id, '\n0\n0\ncandidate:late');
    expect(await h.next()).toEqual({ type: PEER_CONNECT, id: ja.id, data: '' });
    expect(await h.next()).toEqual({ type: PEER_DISCONNECT, id: ja.id, data: '' });
    await settle(50);
    expect(h.isOpen).toBe(true);
  });

  it('refuses a relay, or a SEAL, before JOIN', async () => {
    await start();
    const a = await connect();
    a.send(OFFER, 1, 'x');
    expect(await a.closedWithin()).toEqual({ code: CloseCode.PROTOCOL_ERROR, reason: 'OFFER before joining a lobby' });
    const b = await connect();
    b.send(SEAL, 0);
    expect(await b.closedWithin()).toEqual({ code: CloseCode.PROTOCOL_ERROR, reason: 'SEAL before joining a lobby' });
  });
});

describe('leaving', () => {
  it('PEER_DISCONNECT goes to every peer that saw the one who left', async () => {
    await start();
    const [h, a, b] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const ja = await a.join(lobby);
    const jb = await b.join(lobby);
    await a.leave();
    await settle(100);
    expect(h.unread()).toEqual([
      { type: PEER_CONNECT, id: ja.id, data: '' },
      { type: PEER_CONNECT, id: jb.id, data: '' },
      { type: PEER_DISCONNECT, id: ja.id, data: '' },
    ]);
    expect(b.unread()).toEqual([{ type: PEER_DISCONNECT, id: ja.id, data: '' }]);
  });

  it('client-server: a client leaving is announced to the host only', async () => {
    await start();
    const [h, a, b] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join('', false);
    const ja = await a.join(lobby);
    await b.join(lobby);
    await settle(50);
    h.drain();
    await a.leave();
    expect(await h.next()).toEqual({ type: PEER_DISCONNECT, id: ja.id, data: '' });
    await settle(50);
    expect(b.drain()).toEqual([]);
  });

  it('a mesh lobby outlives its host: the others get PEER_DISCONNECT 1 and new peers may still join', async () => {
    await start();
    const [h, a, late] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const ja = await a.join(lobby);
    await h.leave();
    expect(await a.next()).toEqual({ type: PEER_DISCONNECT, id: 1, data: '' });
    const jl = await late.join(lobby);
    expect(jl.peers).toEqual([ja.id]);
    expect(await a.next()).toEqual({ type: PEER_CONNECT, id: jl.id, data: '' });
  });

  it("a client-server lobby closes when its host leaves (4008), and its name is gone", async () => {
    await start();
    const [h, a, b] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join('', false);
    await a.join(lobby);
    await b.join(lobby);
    await h.leave();
    expect(await a.closedWithin()).toEqual({ code: CloseCode.HOST_LEFT, reason: "The lobby's host left" });
    expect((await b.closedWithin()).code).toBe(CloseCode.HOST_LEFT);
    expect(server?.lobbyCount).toBe(0);
    const c = await connect();
    c.send(JOIN, 0, lobby);
    expect(await c.closedWithin()).toEqual({ code: CloseCode.LOBBY_UNAVAILABLE, reason: 'Lobby does not exist' });
  });

  it('the lobby is forgotten when its last peer leaves', async () => {
    await start();
    const [h, a] = [await connect(), await connect()];
    const { lobby } = await h.join();
    await a.join(lobby);
    await h.leave();
    await a.leave();
    await settle(50);
    expect(server?.lobbyCount).toBe(0);
    expect(server?.clientCount).toBe(0);
  });
});

describe('SEAL', () => {
  it('the host seals: everyone gets SEAL, nobody may join, and after --seal-close-ms all close with 1000', async () => {
    await start({ sealCloseMs: 300 });
    const [h, a, b, late] = [await connect(), await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    await a.join(lobby);
    await b.join(lobby);
    await settle(50);
    for (const peer of [h, a, b]) peer.drain();
    h.send(SEAL, 0);
    for (const peer of [h, a, b]) expect(await peer.next()).toEqual({ type: SEAL, id: 0, data: '' });
    late.send(JOIN, 0, lobby);
    expect(await late.closedWithin()).toEqual({ code: CloseCode.LOBBY_UNAVAILABLE, reason: 'Lobby is sealed' });
    // Leaving a sealed lobby is expected (signalling is done): nobody is told.
    await b.leave();
    const started = Date.now();
    for (const peer of [h, a]) expect(await peer.closedWithin(2000)).toEqual({ code: CloseCode.SEAL_COMPLETE, reason: 'Seal complete' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(a.unread()).toEqual([]);
    expect(server?.lobbyCount).toBe(0);
  });

  it('only the host may seal (4000); the lobby carries on', async () => {
    await start();
    const [h, a, b] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const ja = await a.join(lobby);
    const jb = await b.join(lobby);
    a.send(SEAL, 0);
    expect(await a.closedWithin()).toEqual({ code: CloseCode.PROTOCOL_ERROR, reason: "Only the lobby's host (peer 1) can seal it" });
    b.send(OFFER, 1, 'still here');
    await settle(100);
    expect(h.unread().slice(-2)).toEqual([
      { type: PEER_DISCONNECT, id: ja.id, data: '' },
      { type: OFFER, id: jb.id, data: 'still here' },
    ]);
  });

  it('sealing twice is harmless', async () => {
    await start({ sealCloseMs: 200 });
    const h = await connect();
    await h.join();
    h.send(SEAL, 0);
    h.send(SEAL, 0);
    expect(await h.next()).toEqual({ type: SEAL, id: 0, data: '' });
    expect(await h.closedWithin()).toEqual({ code: CloseCode.SEAL_COMPLETE, reason: 'Seal complete' });
    expect(h.unread()).toEqual([]);
  });
});

describe('the JOIN refusals', () => {
  it('JOIN for a lobby that does not exist is 4001', async () => {
    await start();
    const a = await connect();
    a.send(JOIN, 0, 'NoSuchLobby');
    expect(await a.closedWithin()).toEqual({ code: CloseCode.LOBBY_UNAVAILABLE, reason: 'Lobby does not exist' });
  });

  it('a second JOIN is 4000 "Already in a lobby"', async () => {
    await start();
    const a = await connect();
    await a.join();
    a.send(JOIN, 0, '');
    expect(await a.closedWithin()).toEqual({ code: CloseCode.PROTOCOL_ERROR, reason: 'Already in a lobby' });
    expect(server?.lobbyCount).toBe(0);
  });
});

describe('a bug', () => {
  it('an exception while handling a message closes that client with 1011, and nobody else', async () => {
    await start();
    const [h, a, victim] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const { id } = await a.join(lobby);
    await victim.join(lobby);
    const handle = LobbyService.prototype.handle;
    const spy = vi.spyOn(LobbyService.prototype, 'handle').mockImplementation(function (this: LobbyService, client, message) {
      if (message.kind === 'relay' && message.data === 'boom') throw new Error('injected');
      return handle.call(this, client, message);
    });
    try {
      victim.send(OFFER, 1, 'boom');
      expect(await victim.closedWithin()).toEqual({ code: CloseCode.INTERNAL_ERROR, reason: 'Internal server error' });
      a.send(OFFER, 1, 'fine');
      await settle(100);
      expect(h.drain().at(-1)).toEqual({ type: OFFER, id, data: 'fine' });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('shutdown', () => {
  it('close() closes every client with 1001 and stops listening', async () => {
    const s = await start();
    const [h, a, idle] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    await a.join(lobby);
    await s.close();
    for (const c of [h, a, idle]) expect(await c.closedWithin()).toEqual({ code: CloseCode.SERVER_SHUTDOWN, reason: 'Server is shutting down' });
    expect(h.unread()).toEqual([{ type: PEER_CONNECT, id: expect.any(Number) as number, data: '' }]);
    expect(a.unread()).toEqual([]);
    await expect(TestClient.connect(s.url)).rejects.toThrow();
  });
});

describe("the demo client's own bytes", () => {
  it('accepts the text Godot 4 JSON.stringify writes for each message the demo sends', async () => {
    await start();
    const h = await connect();
    const a = await connect();
    h.sendText('{"type":0,"id":0,"data":""}'); // join_lobby("") with mesh
    expect((await h.next()).type).toBe(ID);
    const lobby = (await h.next()).data;
    a.sendText(`{"type":0,"id":0,"data":"${lobby}"}`);
    const id = (await a.next()).id;
    await a.next();
    await a.next();
    await h.next();
    a.sendText(`{"type":6,"id":1,"data":"\\n0\\n0\\ncandidate:1 1 UDP 1 127.0.0.1 9 typ host"}`);
    expect(await h.next()).toEqual({ type: CANDIDATE, id, data: '\n0\n0\ncandidate:1 1 UDP 1 127.0.0.1 9 typ host' });
    h.sendText('{"type":7,"id":0,"data":""}'); // seal_lobby()
    expect((await a.next()).type).toBe(SEAL);
  });
});
