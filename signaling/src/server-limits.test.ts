// Every limit, enforced with its close code and reason, on the limit's own flag value; the
// clients that stay within the limits are untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { CloseCode } from './protocol/close-code.js';
import { MessageType } from './protocol/message-type.js';
import { SignalingServer } from './signaling-server.js';
import { TestClient, settle } from './testing/test-client.js';

const { JOIN, OFFER } = MessageType;

let server: SignalingServer | null = null;
const clients: TestClient[] = [];

async function start(limits: Partial<Limits>): Promise<SignalingServer> {
  server = await SignalingServer.listen({ host: '127.0.0.1', port: 0, limits });
  return server;
}

async function connect(options: { autoPong?: boolean } = {}): Promise<TestClient> {
  if (!server) throw new Error('no server');
  const client = await TestClient.connect(server.url, options);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await server?.close();
  server = null;
});

describe('limits', () => {
  it('defaults: the server uses DEFAULT_LIMITS when given none', async () => {
    server = await SignalingServer.listen({ host: '127.0.0.1', port: 0 });
    expect(server.limits).toEqual(DEFAULT_LIMITS);
  });

  it('--max-message-bytes: a message of exactly the limit passes; one byte more is 1009 with a reason', async () => {
    await start({ maxMessageBytes: 1024 });
    const [h, a] = [await connect(), await connect()];
    const { lobby } = await h.join();
    const { id } = await a.join(lobby);
    await h.next();
    const envelope = JSON.stringify({ type: OFFER, id, data: '' }).length;
    const fits = 'x'.repeat(1024 - envelope);
    h.send(OFFER, id, fits);
    expect(await a.next()).toEqual({ type: OFFER, id: 1, data: fits });
    h.send(OFFER, id, `${fits}x`);
    expect(await h.closedWithin()).toEqual({ code: CloseCode.MESSAGE_TOO_BIG, reason: 'Message too big (the limit is 1024 bytes)' });
    expect(await a.next()).toEqual({ type: MessageType.PEER_DISCONNECT, id: 1, data: '' });
    expect(a.isOpen).toBe(true);
  });

  it('--max-message-bytes counts a fragmented message as a whole', async () => {
    await start({ maxMessageBytes: 1024 });
    const a = await connect();
    await a.join();
    const half = 'y'.repeat(600);
    a.socket.send(half, { fin: false, binary: false });
    a.socket.send(half, { fin: true, binary: false });
    expect((await a.closedWithin()).code).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('--max-lobbies: creating one lobby more is 4003; joining an open one still works', async () => {
    await start({ maxLobbies: 2 });
    const [a, b, c, d] = [await connect(), await connect(), await connect(), await connect()];
    const { lobby } = await a.join();
    await b.join();
    c.send(JOIN, 0, '');
    expect(await c.closedWithin()).toEqual({ code: CloseCode.TOO_MANY_LOBBIES, reason: 'Too many lobbies open (the limit is 2)' });
    await d.join(lobby);
    expect(server?.lobbyCount).toBe(2);
  });

  it('--max-peers-per-lobby: the peer one over is 4002; the others stay', async () => {
    await start({ maxPeersPerLobby: 3 });
    const peers = [await connect(), await connect(), await connect(), await connect()];
    const { lobby } = await peers[0]!.join();
    await peers[1]!.join(lobby);
    await peers[2]!.join(lobby);
    peers[3]!.send(JOIN, 0, lobby);
    expect(await peers[3]!.closedWithin()).toEqual({ code: CloseCode.LOBBY_FULL, reason: 'Lobby is full (the limit is 3 peers)' });
    await settle(50);
    expect(peers.slice(0, 3).every((p) => p.isOpen)).toBe(true);
    // A place frees up when someone leaves.
    await peers[2]!.leave();
    const again = await connect();
    expect((await again.join(lobby)).peers.length).toBe(2);
  });

  it('--max-clients: one connection more is 4004; a place frees when a client leaves', async () => {
    await start({ maxClients: 3 });
    const first = [await connect(), await connect(), await connect()];
    const extra = await connect();
    expect(await extra.closedWithin()).toEqual({ code: CloseCode.TOO_MANY_CLIENTS, reason: 'Too many clients connected (the limit is 3)' });
    await first[0]!.leave();
    await settle(50);
    const later = await connect();
    await later.join();
    expect(first.slice(1).every((c) => c.isOpen)).toBe(true);
  });

  it('--max-messages-per-second: a burst past the limit is 4005; a client within it is untouched', async () => {
    await start({ maxMessagesPerSecond: 10 });
    const [h, a, calm] = [await connect(), await connect(), await connect()];
    const { lobby } = await h.join();
    const { id } = await a.join(lobby);
    await calm.join(lobby);
    for (let i = 0; i < 30; i++) a.send(OFFER, 1, `${i}`);
    expect(await a.closedWithin()).toEqual({ code: CloseCode.RATE_LIMITED, reason: 'Too many messages (the limit is 10 per second)' });
    const relayed = h.drain().filter((m) => m.type === OFFER && m.id === id);
    expect(relayed.length).toBeGreaterThanOrEqual(9); // JOIN took one token
    expect(relayed.length).toBeLessThanOrEqual(10);
    // 5 messages every 600 ms stays under 10 per second.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) calm.send(OFFER, 1, 'calm');
      await settle(600);
    }
    expect(calm.isOpen).toBe(true);
  });

  it('--join-timeout-ms: a client that never sends JOIN is 4006; one that joined stays', async () => {
    await start({ joinTimeoutMs: 150 });
    const [silent, joined] = [await connect(), await connect()];
    await joined.join();
    expect(await silent.closedWithin(2000)).toEqual({ code: CloseCode.JOIN_TIMEOUT, reason: 'No JOIN within 150 ms of connecting' });
    await settle(200);
    expect(joined.isOpen).toBe(true);
  });

  it('--idle-timeout-ms: a client that answers pings stays; one that answers nothing is 4007', async () => {
    await start({ idleTimeoutMs: 300 });
    const alive = await connect();
    const dead = await connect({ autoPong: false });
    const { lobby } = await alive.join();
    await dead.join(lobby);
    expect(await dead.closedWithin(3000)).toEqual({ code: CloseCode.IDLE_TIMEOUT, reason: 'Nothing received for 300 ms' });
    await settle(700);
    expect(alive.isOpen).toBe(true);
    expect(alive.drain().at(-1)?.type).toBe(MessageType.PEER_DISCONNECT);
  });

  it('--seal-close-ms: the lobby closes that long after SEAL', async () => {
    await start({ sealCloseMs: 400 });
    const h = await connect();
    await h.join();
    const sealed = Date.now();
    h.send(MessageType.SEAL, 0);
    expect((await h.closedWithin(3000)).code).toBe(CloseCode.SEAL_COMPLETE);
    expect(Date.now() - sealed).toBeGreaterThanOrEqual(350);
  });
});
