// What a scenario drives: a signalling server (started on 127.0.0.1 with a free port), the
// engine processes it starts into a lobby, and the waits and commands the checks use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Engine } from './engine.js';
import { EnginePeer } from './engine-peer.js';
import { LOGS } from './paths.js';
import { type ServerProcess, startServer } from './server-process.js';

export const RPC_COUNT = 20;
export const CONNECT_TIMEOUT_MS = 90_000;
const EXCHANGE_TIMEOUT_MS = 30_000;

export class LobbySession {
  readonly peers: EnginePeer[] = [];
  readonly #engine: Engine;
  readonly #binary: string;
  readonly #controlDir = mkdtempSync(join(tmpdir(), 'signaling-engines-'));
  #server: ServerProcess | null = null;
  lobby = '';

  constructor(engine: Engine, binary: string) {
    this.#engine = engine;
    this.#binary = binary;
  }

  get server(): ServerProcess {
    if (!this.#server) throw new Error('the server is not started');
    return this.#server;
  }

  async startServer(flags: string[]): Promise<void> {
    this.#server = await startServer(flags);
  }

  /** Starts an engine process that joins `lobby` ("" creates it). */
  startPeer(name: string, lobby: string, env: Record<string, string> = {}): EnginePeer {
    const peer = new EnginePeer({
      name,
      binary: this.#binary,
      args: this.#engine.args,
      controlDir: this.#controlDir,
      logDir: join(LOGS, this.#engine.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')),
      env: { ...this.#engine.env, SIGNALING_URL: this.server.url, SIGNALING_LOBBY: lobby, SIGNALING_RPC_COUNT: String(RPC_COUNT), ...env },
    });
    this.peers.push(peer);
    return peer;
  }

  /** Waits for the peer's id from the server. */
  async joined(peer: EnginePeer): Promise<void> {
    peer.id = Number((await peer.waitFor(/^SIG ID (\d+)$/, CONNECT_TIMEOUT_MS))[1]);
  }

  /** Waits until each peer of `from` reports each peer of `to` connected. */
  async connected(from: EnginePeer[], to: EnginePeer[]): Promise<void> {
    for (const p of from) for (const q of to) if (p !== q) await p.waitFor(new RegExp(`^MP CONNECTED ${q.id}$`), CONNECT_TIMEOUT_MS);
  }

  /** Each peer of `senders` RPCs (reliable and unreliable) under `tag`; each peer of
   *  `receivers` must get all of them from each sender, reliable ones in order. */
  async exchange(senders: EnginePeer[], receivers: EnginePeer[], tag: string): Promise<void> {
    for (const p of senders) p.command(`rpc ${tag}`);
    try {
      for (const p of receivers) {
        for (const q of senders) {
          if (p === q) continue;
          await p.waitFor(new RegExp(`^GOT ${tag} reliable ${q.id} in-order$`), EXCHANGE_TIMEOUT_MS);
          await p.waitFor(new RegExp(`^GOT ${tag} unreliable ${q.id} `), EXCHANGE_TIMEOUT_MS);
        }
      }
    } catch (error) {
      for (const p of receivers) p.command(`report ${tag}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const reports = receivers.map((p) => p.lines.filter((l) => l.startsWith(`REPORT ${tag}`)).map((l) => `  ${p.name}(${p.id}): ${l}`).join('\n'));
      throw new Error(`${(error as Error).message}\nreports:\n${reports.join('\n')}`);
    }
  }

  /** Quits every running peer; each must exit 0 with its tally clean and its sentinel. */
  async quitAll(): Promise<void> {
    for (const p of this.peers) if (p.running) p.command('quit');
    for (const p of this.peers) {
      expect(await p.exited, p.tail()).toBe(0);
      expect(p.has(/^signaling_mesh: \d+ checks passed, 0 failed$/), p.tail()).toBe(true);
      expect(p.has(/^END-OF-SCENE signaling_mesh$/), p.tail()).toBe(true);
      expect(p.failures(), p.name).toEqual([]);
    }
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.kill();
    await this.#server?.stop();
    rmSync(this.#controlDir, { recursive: true, force: true });
  }
}
