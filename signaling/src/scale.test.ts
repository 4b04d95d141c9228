// 200 clients in 50 lobbies of 4 on loopback, all at once: every client learns of exactly
// its three lobby mates, every offer, answer and candidate reaches exactly its destination
// with the right sender id (nothing lost, nothing duplicated, nothing across lobbies), and
// everything is forgotten once they leave.
import { afterAll, describe, expect, it } from 'vitest';
import { MessageType } from './protocol/message-type.js';
import { SignalingServer } from './signaling-server.js';
import { type Joined, TestClient, settle } from './testing/test-client.js';

const LOBBIES = 50;
const PER_LOBBY = 4;
const CANDIDATES = 3; // per destination

let server: SignalingServer;

afterAll(async () => {
  await server.close();
});

interface Member {
  readonly client: TestClient;
  joined: Joined;
}

describe('scale', () => {
  it(`${LOBBIES * PER_LOBBY} clients in ${LOBBIES} lobbies: nothing lost`, async () => {
    server = await SignalingServer.listen({ host: '127.0.0.1', port: 0 });
    const lobbies: Member[][] = [];
    // The hosts create their lobbies concurrently; then the guests join, all at once.
    const hosts = await Promise.all(Array.from({ length: LOBBIES }, () => TestClient.connect(server.url)));
    const hostJoins = await Promise.all(hosts.map((h) => h.join()));
    for (let l = 0; l < LOBBIES; l++) lobbies.push([{ client: hosts[l]!, joined: hostJoins[l]! }]);
    const guests = await Promise.all(
      Array.from({ length: LOBBIES * (PER_LOBBY - 1) }, async (_, i) => {
        const client = await TestClient.connect(server.url);
        return { lobby: i % LOBBIES, client };
      }),
    );
    // Every guest joins at once (the server answers each JOIN in one go: ID, PEER_CONNECTs,
    // JOIN, so a guest's own answer is never split by another guest's arrival).
    const guestJoins = await Promise.all(guests.map((g) => g.client.join(hostJoins[g.lobby]!.lobby)));
    guests.forEach((g, i) => lobbies[g.lobby]!.push({ client: g.client, joined: guestJoins[i]! }));
    expect(server.clientCount).toBe(LOBBIES * PER_LOBBY);
    expect(server.lobbyCount).toBe(LOBBIES);
    await settle(300);

    // Each client knows exactly its lobby mates.
    for (const members of lobbies) {
      const ids = members.map((m) => m.joined.id);
      expect(new Set(ids).size).toBe(PER_LOBBY);
      for (const m of members) {
        const announced = [...m.joined.peers, ...m.client.drain().filter((r) => r.type === MessageType.PEER_CONNECT).map((r) => r.id)];
        expect(announced.sort()).toEqual(ids.filter((id) => id !== m.joined.id).sort());
      }
    }

    // Everyone sends everyone in its lobby an offer, an answer and three candidates, at once.
    let sent = 0;
    for (const members of lobbies) {
      for (const from of members) {
        for (const to of members) {
          if (from === to) continue;
          const tag = `${from.joined.lobby}:${from.joined.id}->${to.joined.id}`;
          from.client.send(MessageType.OFFER, to.joined.id, `offer ${tag}`);
          from.client.send(MessageType.ANSWER, to.joined.id, `answer ${tag}`);
          for (let c = 0; c < CANDIDATES; c++) from.client.send(MessageType.CANDIDATE, to.joined.id, `\n0\n0\ncandidate ${c} ${tag}`);
          sent += 2 + CANDIDATES;
        }
      }
    }
    const perClient = (PER_LOBBY - 1) * (2 + CANDIDATES);
    const deadline = Date.now() + 20_000;
    const all = lobbies.flat();
    while (all.some((m) => m.client.unread().length < perClient) && Date.now() < deadline) await settle(50);
    await settle(200); // and nothing more arrives

    let received = 0;
    for (const members of lobbies) {
      for (const to of members) {
        const got = to.client.drain();
        received += got.length;
        const expected: { type: number; id: number; data: string }[] = [];
        for (const from of members) {
          if (from === to) continue;
          const tag = `${from.joined.lobby}:${from.joined.id}->${to.joined.id}`;
          expected.push({ type: MessageType.OFFER, id: from.joined.id, data: `offer ${tag}` });
          expected.push({ type: MessageType.ANSWER, id: from.joined.id, data: `answer ${tag}` });
          for (let c = 0; c < CANDIDATES; c++) expected.push({ type: MessageType.CANDIDATE, id: from.joined.id, data: `\n0\n0\ncandidate ${c} ${tag}` });
        }
        const key = (r: { type: number; id: number; data: string }) => `${r.type}|${r.id}|${r.data}`;
        expect(got.map(key).sort()).toEqual(expected.map(key).sort());
        // Each sender's messages arrive in the order it sent them.
        for (const from of members) {
          if (from === to) continue;
          const fromThis = got.filter((r) => r.id === from.joined.id).map(key);
          expect(fromThis).toEqual(expected.filter((r) => r.id === from.joined.id).map(key));
        }
      }
    }
    expect(received).toBe(sent);
    expect(sent).toBe(LOBBIES * PER_LOBBY * perClient);

    await Promise.all(all.map((m) => m.client.leave()));
    await settle(100);
    expect(server.clientCount).toBe(0);
    expect(server.lobbyCount).toBe(0);
  }, 60_000);
});
