// A client-server lobby (JOIN with id 1): the host becomes the multiplayer server (peer 1), two
// clients connect to it alone (the server shows clients only the host), RPCs go both ways
// between the host and each client, and the host leaving closes the lobby (4008) and the
// clients' multiplayer sessions. Loopback-only WebRTC, as everywhere.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Engine, describeIn } from './engine.js';
import { CONNECT_TIMEOUT_MS, LobbySession } from './lobby-session.js';

const CLIENT_SERVER = { SIGNALING_MESH: '0' };

export function describeClientServer(engine: Engine): void {
  describeIn(engine, 'a client-server lobby: a host and two clients', (binary) => {
    const session = new LobbySession(engine, binary);

    beforeAll(async () => {
      await session.startServer([]);
    });

    afterAll(async () => {
      await session.close();
    });

    it('the clients connect to the host only, and RPCs go both ways between host and clients', async () => {
      const host = session.startPeer('cs-host', '', CLIENT_SERVER);
      const lobby = (await host.waitFor(/^SIG LOBBY (\S+)$/, CONNECT_TIMEOUT_MS))[1] ?? '';
      await session.joined(host);
      const clients = [session.startPeer('cs-1', lobby, CLIENT_SERVER), session.startPeer('cs-2', lobby, CLIENT_SERVER)];
      for (const c of clients) await session.joined(c);
      await session.connected([host], clients);
      await session.connected(clients, [host]);
      await session.exchange([host], clients, 'h');
      await session.exchange(clients, [host], 'c');
      // The server introduced each client to the host alone (Godot 4's SceneMultiplayer may
      // still report the other client connected: the host relays for it).
      for (const c of clients) {
        const other = clients.find((o) => o !== c)!;
        expect(c.has(/^SIG PEER 1$/), c.tail()).toBe(true);
        expect(c.has(new RegExp(`^SIG PEER ${other.id}$`)), c.tail()).toBe(false);
      }
      for (const c of clients) expect(host.has(new RegExp(`^SIG PEER ${c.id}$`)), host.tail()).toBe(true);
    });

    it('the host leaving closes the lobby: the clients are told 4008', async () => {
      const [host, ...clients] = session.peers;
      host!.command('quit');
      expect(await host!.exited).toBe(0);
      for (const c of clients) await c.waitFor(/^SIG CLOSED 4008 The lobby's host left$/, 30_000);
      for (const c of clients) await c.waitFor(/^MP DISCONNECTED 1$/, 30_000);
      await session.quitAll();
      expect(session.server.log()).toMatch(/lobby \S+ closed \(The lobby's host left\)/);
    });
  });
}
