// The test's side of host-peer-child.ts: starts the bundled child inside a
// network namespace, reads its events, and relays signalling between two of
// them as a game's signalling server would.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ConnectionState } from '../../extension/src/godot/enums.generated.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type HostEvent =
  | { ev: 'description'; type: string; sdp: string }
  | { ev: 'candidate'; mid: string; index: number; name: string }
  | { ev: 'state'; connection: ConnectionState; gathering: number }
  | { ev: 'connection-state'; state: ConnectionState }
  | { ev: 'open' }
  | { ev: 'message'; text: string; isString: boolean }
  | { ev: 'log'; level: string; message: string }
  | { ev: 'error'; message: string }
  | { ev: 'exit'; code: number | null };

/**
 * Bundles the child (node-datachannel stays external, as in the worker
 * bundle) into build/test, where node_modules resolves; one file per test
 * process, so parallel runs never rewrite each other's. The caller removes it.
 */
export async function bundleHostPeer(): Promise<string> {
  const outfile = join(root, 'build', 'test', `host-peer-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'tests', 'interop', 'host-peer-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['node-datachannel'],
    logLevel: 'warning',
  });
  return outfile;
}

export class HostPeer {
  readonly name: string;
  readonly events: HostEvent[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #listeners = new Set<(event: HostEvent) => void>();
  #stderr = '';

  constructor(name: string, ns: string, bundle: string) {
    this.name = name;
    this.#child = spawn('ip', ['netns', 'exec', ns, process.execPath, bundle], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.#stderr += text));
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      let event: HostEvent;
      try {
        event = JSON.parse(line) as HostEvent;
      } catch {
        this.#stderr += `${line}\n`;
        return;
      }
      this.#push(event);
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code) => (this.#push({ ev: 'exit', code }), resolve()));
      this.#child.once('error', (error) => ((this.#stderr += `could not run ip netns exec: ${error.message}\n`), this.#push({ ev: 'exit', code: null }), resolve()));
    });
    this.#child.stdin!.on('error', () => undefined);
  }

  onEvent(listener: (event: HostEvent) => void): void {
    this.#listeners.add(listener);
  }

  send(command: object): void {
    if (this.#child.exitCode === null) this.#child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Candidate lines this peer gathered. */
  get candidates(): string[] {
    return this.events.flatMap((e) => (e.ev === 'candidate' ? [e.name] : []));
  }

  get connection(): ConnectionState | undefined {
    const states = this.events.filter((e) => e.ev === 'state');
    const last = states[states.length - 1];
    return last?.ev === 'state' ? last.connection : undefined;
  }

  /** Every connection state the core reported, in order. */
  get connectionStates(): ConnectionState[] {
    return this.events.flatMap((e) => (e.ev === 'connection-state' ? [e.state] : []));
  }

  get received(): string[] {
    return this.events.flatMap((e) => (e.ev === 'message' ? [e.text] : []));
  }

  /** Everything the child said that is not signalling, for failure messages. */
  get transcript(): string {
    const lines = this.events.filter((e) => e.ev !== 'description').map((e) => JSON.stringify(e));
    return `${this.name}:\n  ${lines.join('\n  ')}${this.#stderr ? `\n  stderr: ${this.#stderr}` : ''}`;
  }

  async stop(): Promise<void> {
    this.send({ op: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 2_000);
    await this.#exited;
    clearTimeout(timer);
  }

  #push(event: HostEvent): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}

/** Waits until `done()`; fails at once when a peer reports an error or exits, with both transcripts. */
export async function waitFor(peers: readonly HostPeer[], done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const transcripts = () => peers.map((peer) => peer.transcript).join('\n');
  while (!done()) {
    for (const peer of peers) {
      const failure = peer.events.find((e) => e.ev === 'error' || e.ev === 'exit');
      if (failure) throw new Error(`${peer.name} ${failure.ev === 'exit' ? 'exited' : 'failed'} while waiting for ${what}\n${transcripts()}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${transcripts()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The signalling server: descriptions and candidates from each peer to the other. */
export function relaySignalling(a: HostPeer, b: HostPeer): void {
  const forward = (from: HostPeer, to: HostPeer) =>
    from.onEvent((event) => {
      if (event.ev === 'description') to.send({ op: 'description', type: event.type, sdp: event.sdp });
      if (event.ev === 'candidate') to.send({ op: 'candidate', mid: event.mid, index: event.index, name: event.name });
    });
  forward(a, b);
  forward(b, a);
}

/** Both peers have each other's greeting: the channel carried data both ways. */
export function greeted(a: HostPeer, b: HostPeer): boolean {
  return a.received.includes('hello from the answerer') && b.received.includes('hello from the offerer');
}
