// The mesh scenario both dialects run: four separate Godot processes join one lobby of the
// signalling server through a GDScript client, form a WebRTC multiplayer mesh and exchange
// RPCs in reliable and unreliable modes; signalling stays up while idle; a fifth joins late
// and reaches everyone; one quits and every other sees it leave; the host seals the lobby,
// the server closes signalling and the mesh carries on. Every WebRTC configuration is
// loopback-only (the scenes use Check.loopback()).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Engine, describeIn } from './engine.js';
import { CONNECT_TIMEOUT_MS, LobbySession, RPC_COUNT } from './lobby-session.js';

/** Short, so the test sees the server close signalling after SEAL and the mesh stay up. */
const SEAL_CLOSE_MS = 1500;
/** Short, so the engines' WebSocket clients must answer the server's pings (every third of
 *  it) to stay: nobody may be dropped as idle while the scenario waits between steps. */
const IDLE_TIMEOUT_MS = 3000;

export function describeMesh(engine: Engine): void {
  describeIn(engine, 'five processes in one mesh lobby of the signalling server', (binary) => {
    const session = new LobbySession(engine, binary);
    const peers = session.peers;

    beforeAll(async () => {
      await session.startServer(['--seal-close-ms', String(SEAL_CLOSE_MS), '--idle-timeout-ms', String(IDLE_TIMEOUT_MS)]);
    });

    afterAll(async () => {
      await session.close();
    });

    it('four processes join one lobby and form a WebRTC multiplayer mesh', async () => {
      const host = session.startPeer('mesh-a', '');
      session.lobby = (await host.waitFor(/^SIG LOBBY (\S+)$/, CONNECT_TIMEOUT_MS))[1] ?? '';
      await session.joined(host);
      expect(host.id).toBe(1);
      const guests = ['mesh-b', 'mesh-c', 'mesh-d'].map((name) => session.startPeer(name, session.lobby));
      for (const guest of guests) await session.joined(guest);
      expect(new Set(peers.map((p) => p.id)).size).toBe(4);
      for (const guest of guests) await guest.waitFor(new RegExp(`^SIG LOBBY ${session.lobby}$`));
      await session.connected(peers, peers);
    });

    it(`RPCs, ${RPC_COUNT} reliable and ${RPC_COUNT} unreliable, reach every peer from every peer`, async () => {
      await session.exchange(peers, peers, 't1');
    });

    it("signalling stays up while idle: the engines answer the server's pings", async () => {
      await new Promise((resolve) => setTimeout(resolve, 2 * IDLE_TIMEOUT_MS));
      for (const p of peers) expect(p.has(/^SIG CLOSED /), p.tail()).toBe(false);
    });

    it('a fifth process joins late and reaches everyone', async () => {
      const late = session.startPeer('mesh-e', session.lobby);
      await session.joined(late);
      await session.connected(peers, peers);
      await session.exchange(peers, peers, 't2');
    });

    it('one quits and every other sees it leave; the rest carry on', async () => {
      const leaving = peers[2]!;
      leaving.command('quit');
      expect(await leaving.exited).toBe(0);
      expect(leaving.has(/^END-OF-SCENE signaling_mesh$/)).toBe(true);
      const staying = peers.filter((p) => p !== leaving);
      for (const p of staying) await p.waitFor(new RegExp(`^MP DISCONNECTED ${leaving.id}$`), 30_000);
      await session.exchange(staying, staying, 't3');
      for (const p of staying) expect(p.has(new RegExp(`^GOT t3 \\S+ ${leaving.id} `))).toBe(false);
    });

    it('the host seals the lobby: everyone gets SEAL, the server closes signalling, the mesh stays', async () => {
      const staying = peers.filter((p) => p.running);
      expect(staying.length).toBe(4);
      staying[0]!.command('seal');
      for (const p of staying) await p.waitFor(/^SIG SEALED$/, 30_000);
      for (const p of staying) await p.waitFor(/^SIG CLOSED 1000 Seal complete$/, 30_000);
      await session.exchange(staying, staying, 't4');
      // The only departure anyone saw is the one that quit: closing signalling dropped no peer.
      for (const p of staying) expect(p.lines.filter((l) => l.startsWith('MP DISCONNECTED '))).toEqual([`MP DISCONNECTED ${peers[2]!.id}`]);
    });

    it('every process ends cleanly (exit 0, end sentinel, no failure line) and the server refused nobody', async () => {
      await session.quitAll();
      expect(await session.server.stop()).toBe(0);
      expect(session.server.log()).not.toMatch(/refused/);
      expect(session.server.log()).toMatch(/lobby \S+ sealed with 4 peers/);
    });
  });
}
