// The engine scenario both dialects run: four separate Godot processes join one lobby of the
// signalling server (started here on 127.0.0.1 with a free port) through the addon's GDScript
// client, form a WebRTC multiplayer mesh and exchange RPCs in reliable and unreliable modes;
// a fifth joins late and reaches everyone; one quits and every other sees it leave; the host
// seals the lobby, the server closes signalling and the mesh carries on. Every WebRTC
// configuration is loopback-only (the scenes use Check.loopback()).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnginePeer } from './engine-peer.js';
import { type ServerProcess, startServer } from './server-process.js';

export interface Engine {
  /** "Godot 3", "Godot 4". */
  readonly label: string;
  /** The binary; null skips the scenario with `skipReason`, or fails it when `required`. */
  readonly binary: string | null;
  readonly skipReason: string;
  readonly required: boolean;
  /** Arguments that run the mesh-peer scene. */
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const RPC_COUNT = 20;
/** Short, so the test sees the server close signalling after SEAL and the mesh stay up. */
const SEAL_CLOSE_MS = 1500;
const CONNECT_TIMEOUT_MS = 90_000;
/** Short, so the engines' WebSocket clients must answer the server's pings (every third of
 *  it) to stay: nobody may be dropped as idle while the scenario waits between steps. */
const IDLE_TIMEOUT_MS = 3000;

export function describeMesh(engine: Engine): void {
  if (!engine.binary && engine.required) {
    describe(`${engine.label} mesh through the signalling server`, () => {
      it(`${engine.label} is available`, () => {
        throw new Error(engine.skipReason);
      });
    });
    return;
  }
  if (!engine.binary) {
    describe.skip(`${engine.label} mesh through the signalling server (skipped: ${engine.skipReason})`, () => {
      it('four processes, RPCs, a late fifth, one quits, sealing', () => {});
    });
    return;
  }
  const binary = engine.binary;
  describe.sequential(`${engine.label}: five processes in one lobby of the signalling server`, () => {
    let server: ServerProcess;
    let controlDir: string;
    const peers: EnginePeer[] = [];
    let lobby = '';

    function startPeer(name: string, lobbyName: string): EnginePeer {
      const peer = new EnginePeer({
        name,
        binary,
        args: engine.args,
        controlDir,
        env: { ...engine.env, SIGNALING_URL: server.url, SIGNALING_LOBBY: lobbyName, SIGNALING_RPC_COUNT: String(RPC_COUNT) },
      });
      peers.push(peer);
      return peer;
    }

    async function joined(peer: EnginePeer): Promise<void> {
      peer.id = Number((await peer.waitFor(/^SIG ID (\d+)$/, CONNECT_TIMEOUT_MS))[1]);
    }

    async function meshConnected(group: EnginePeer[]): Promise<void> {
      for (const p of group) for (const q of group) if (p !== q) await p.waitFor(new RegExp(`^MP CONNECTED ${q.id}$`), CONNECT_TIMEOUT_MS);
    }

    /** Every peer of `group` RPCs every other under `tag`; each gets all of them. */
    async function exchange(group: EnginePeer[], tag: string): Promise<void> {
      for (const p of group) p.command(`rpc ${tag}`);
      try {
        for (const p of group) {
          for (const q of group) {
            if (p === q) continue;
            await p.waitFor(new RegExp(`^GOT ${tag} reliable ${q.id} in-order$`), 30_000);
            await p.waitFor(new RegExp(`^GOT ${tag} unreliable ${q.id} `), 30_000);
          }
        }
      } catch (error) {
        for (const p of group) p.command(`report ${tag}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        throw new Error(`${(error as Error).message}\nreports:\n${group.map((p) => p.lines.filter((l) => l.startsWith(`REPORT ${tag}`)).map((l) => `  ${p.name}(${p.id}): ${l}`).join('\n')).join('\n')}`);
      }
      for (const p of group) for (const other of peers) if (!group.includes(other)) expect(p.has(new RegExp(`^GOT ${tag} \\S+ ${other.id} `))).toBe(false);
    }

    beforeAll(async () => {
      controlDir = mkdtempSync(join(tmpdir(), 'signaling-mesh-'));
      server = await startServer(['--seal-close-ms', String(SEAL_CLOSE_MS), '--idle-timeout-ms', String(IDLE_TIMEOUT_MS)]);
    });

    afterAll(async () => {
      for (const peer of peers) peer.kill();
      await server?.stop();
      rmSync(controlDir, { recursive: true, force: true });
    });

    it('four processes join one lobby and form a WebRTC multiplayer mesh', async () => {
      const host = startPeer('peer-a', '');
      lobby = (await host.waitFor(/^SIG LOBBY (\S+)$/, CONNECT_TIMEOUT_MS))[1] ?? '';
      await joined(host);
      expect(host.id).toBe(1);
      const guests = ['peer-b', 'peer-c', 'peer-d'].map((name) => startPeer(name, lobby));
      for (const guest of guests) await joined(guest);
      expect(new Set(peers.map((p) => p.id)).size).toBe(4);
      for (const guest of guests) await guest.waitFor(new RegExp(`^SIG LOBBY ${lobby}$`));
      await meshConnected(peers);
    });

    it(`RPCs, ${RPC_COUNT} reliable and ${RPC_COUNT} unreliable, reach every peer from every peer`, async () => {
      await exchange(peers.slice(0, 4), 't1');
    });

    it('signalling stays up while idle: the engines answer the server\'s pings', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2 * IDLE_TIMEOUT_MS));
      for (const p of peers) expect(p.has(/^SIG CLOSED /), p.tail()).toBe(false);
    });

    it('a fifth process joins late and reaches everyone', async () => {
      const late = startPeer('peer-e', lobby);
      await joined(late);
      await meshConnected(peers);
      await exchange(peers, 't2');
    });

    it('one quits and every other sees it leave; the rest carry on', async () => {
      const leaving = peers[2]!;
      leaving.command('quit');
      expect(await leaving.exited).toBe(0);
      expect(leaving.has(/^END-OF-SCENE signaling_mesh$/)).toBe(true);
      const staying = peers.filter((p) => p !== leaving);
      for (const p of staying) await p.waitFor(new RegExp(`^MP DISCONNECTED ${leaving.id}$`), 30_000);
      await exchange(staying, 't3');
    });

    it('the host seals the lobby: everyone gets SEAL, the server closes signalling, the mesh stays', async () => {
      const staying = peers.filter((p) => p.running);
      expect(staying.length).toBe(4);
      staying[0]!.command('seal');
      for (const p of staying) await p.waitFor(/^SIG SEALED$/, 30_000);
      for (const p of staying) await p.waitFor(/^SIG CLOSED 1000 Seal complete$/, 30_000);
      await exchange(staying, 't4');
      // The only departure anyone saw is the one that quit: closing signalling dropped no peer.
      for (const p of staying) expect(p.lines.filter((l) => l.startsWith('MP DISCONNECTED '))).toEqual([`MP DISCONNECTED ${peers[2]!.id}`]);
    });

    it('every process ends cleanly (exit 0, end sentinel, no failure line) and the server refused nobody', async () => {
      const staying = peers.filter((p) => p.running);
      for (const p of staying) p.command('quit');
      for (const p of peers) {
        expect(await p.exited, p.tail()).toBe(0);
        expect(p.has(/^signaling_mesh: \d+ checks passed, 0 failed$/), p.tail()).toBe(true);
        expect(p.has(/^END-OF-SCENE signaling_mesh$/), p.tail()).toBe(true);
        expect(p.failures(), p.name).toEqual([]);
      }
      expect(await server.stop()).toBe(0);
      expect(server.log()).not.toMatch(/refused/);
      expect(server.log()).toMatch(/lobby \S+ sealed with 4 peers/);
    });
  });
}
