// The command users run: `npm run signaling -- --port N` (node signaling/start.mjs, which
// bundles the server and runs the bundle). Listens where told, prints its URL, serves, stops
// on SIGTERM; a bad flag exits 2 with the usage, a taken port exits 1.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageType } from './protocol/message-type.js';
import { TestClient } from './testing/test-client.js';

const START = new URL('../start.mjs', import.meta.url).pathname;
const running: ChildProcess[] = [];

interface Run {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [START, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function listening(r: Run): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /signaling server listening on (ws:\/\/\S+)/.exec(r.output());
    if (match?.[1]) return match[1];
    if (Date.now() > deadline) throw new Error(`no listening line: ${r.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm run signaling', () => {
  it('--port 0 binds 127.0.0.1 on a free port, serves a lobby, logs it, and stops on SIGTERM', async () => {
    const r = run(['--port', '0']);
    const url = await listening(r);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const h = await TestClient.connect(url);
    const a = await TestClient.connect(url);
    const { lobby } = await h.join();
    const { id } = await a.join(lobby);
    a.send(MessageType.OFFER, 1, 'sdp');
    expect(await h.next()).toEqual({ type: MessageType.PEER_CONNECT, id, data: '' });
    expect(await h.next()).toEqual({ type: MessageType.OFFER, id, data: 'sdp' });
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect((await h.closedWithin()).code).toBe(1001);
    expect(r.output()).toContain('created (mesh)');
    expect(r.output()).toContain('signaling server stopped');
  }, 30_000);

  it('--host and a limit flag are honoured', async () => {
    const r = run(['--host', '127.0.0.1', '--port=0', '--max-lobbies', '1', '--quiet']);
    const url = await listening(r);
    const a = await TestClient.connect(url);
    const b = await TestClient.connect(url);
    await a.join();
    b.send(MessageType.JOIN, 0, '');
    expect(await b.closedWithin()).toEqual({ code: 4003, reason: 'Too many lobbies open (the limit is 1)' });
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.output()).not.toContain('created');
  }, 30_000);

  it('a bad flag exits 2 with the usage', async () => {
    const r = run(['--max-lobbies', 'many']);
    expect(await r.exited).toBe(2);
    expect(r.output()).toContain('--max-lobbies needs a whole number, got "many"');
    expect(r.output()).toContain('usage: npm run signaling');
  }, 30_000);

  it('a port already taken exits 1 with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run(['--port', String(port)]);
      expect(await r.exited).toBe(1);
      expect(r.output()).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`));
    } finally {
      blocker.close();
    }
  }, 30_000);
});
