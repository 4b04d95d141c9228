// A real headless Godot 3 (Debian's godot3-server 3.2.3) running
// godot-project/tests/godot3-browser/peer.gd: one plain WebRTCPeerConnection.new()
// (our addon through GDNative), driven from the test over a relay on 127.0.0.1.
// The relay is a TCP server here; the scene connects with StreamPeerTCP and both
// sides speak one JSON object per line (see the scene's header). Commands are
// answered by id ("reply"); everything else the scene sends is an event.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_NODE, ENV_WORKER } from '../../bridge/protocol/protocol.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PROJECT = join(ROOT, 'godot-project');
export const SCENE = 'res://tests/godot3-browser/peer.gd';

/** A failure line from the scene, the engine or a crash (as scripts/run-godot3-tests.sh). */
export const FAILURE_PATTERN = /^FAIL|SCRIPT ERROR|Parse Error|Program crashed|handle_crash|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|ObjectDB instances leaked|Assertion .* failed/m;
export const SENTINEL = /^END-OF-SCENE peer$/m;

/** Godot 3's WebRTCPeerConnection.ConnectionState and WebRTCDataChannel.ChannelState. */
export const Connection = { NEW: 0, CONNECTING: 1, CONNECTED: 2, DISCONNECTED: 3, FAILED: 4, CLOSED: 5 } as const;
export const Channel = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 } as const;

export interface GodotChannel {
  readonly key: number;
  readonly label: string;
  readonly protocol: string;
  readonly id: number;
  readonly negotiated: boolean;
  readonly ordered: boolean;
  readonly state: number;
}

export type GodotEvent =
  | { t: 'hello' }
  | { t: 'description'; type: 'offer' | 'answer'; sdp: string }
  | { t: 'candidate'; mid: string; index: number; name: string }
  | { t: 'received'; channel: GodotChannel }
  | { t: 'connection'; state: number }
  | { t: 'state'; key: number; state: number }
  | { t: 'message'; key: number; string: boolean; size: number; b64: string };

/** Prepares once: the Godot binary (scripts/godot3.sh) and the addon (assemble-addon.sh). */
export function prepareGodot3(): string {
  const godot = execFileSync('bash', [join(ROOT, 'scripts/godot3.sh')], { encoding: 'utf8' }).trim();
  execFileSync('bash', [join(ROOT, 'scripts/assemble-addon.sh'), '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  mkdirSync(join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'godot/app_userdata/godot-webrtc-ts'), { recursive: true });
  return godot;
}

export class GodotPeer {
  readonly events: GodotEvent[] = [];
  output = '';
  readonly #child: ChildProcess;
  readonly #server: Server;
  readonly #listeners = new Set<(event: GodotEvent) => void>();
  readonly #replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; what: string }>();
  /** Replies that matched no command (a test checks there are none). */
  readonly strays: unknown[] = [];
  #socket: Socket | undefined;
  #exit: Promise<number | null>;
  #exited = false;
  #nextId = 1;

  private constructor(child: ChildProcess, server: Server) {
    this.#child = child;
    this.#server = server;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.#exit = new Promise((done) =>
      child.once('exit', (code) => {
        this.#exited = true;
        const left = [...this.#replies.values()];
        this.#replies.clear();
        for (const r of left) r.reject(new Error(`Godot exited (${code}) before replying to ${r.what}\n${this.output}`));
        done(code);
      }),
    );
  }

  /** Starts Godot on the scene and waits for it to reach the relay. */
  static async start(godot: string, timeoutMs = 20_000): Promise<GodotPeer> {
    const server = createServer();
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', GODOT3_BROWSER_PORT: String((server.address() as AddressInfo).port) };
    delete env[ENV_WORKER];
    delete env[ENV_NODE];
    const child = spawn(godot, ['--no-window', '--path', PROJECT, '-s', SCENE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const peer = new GodotPeer(child, server);
    try {
      const socket = await new Promise<Socket>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`Godot did not reach the relay in ${timeoutMs} ms\n${peer.output}`)), timeoutMs);
        server.once('connection', (s) => {
          clearTimeout(timer);
          ok(s);
        });
        void peer.#exit.then((code) => {
          clearTimeout(timer);
          fail(new Error(`Godot exited (${code}) before reaching the relay\n${peer.output}`));
        });
      });
      peer.#attach(socket);
      await peer.until(() => peer.events.some((e) => e.t === 'hello'), 'the scene\'s hello', timeoutMs);
    } catch (error) {
      peer.kill();
      throw error;
    }
    return peer;
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    socket.setNoDelay(true);
    let pending = '';
    socket.on('data', (d: Buffer) => {
      pending += d.toString('utf8');
      let at: number;
      while ((at = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        if (line) this.#receive(JSON.parse(line) as GodotEvent | { t: 'reply'; id: number; v: unknown });
      }
    });
    socket.on('error', () => undefined);
  }

  #receive(message: GodotEvent | { t: 'reply'; id: number; v: unknown }): void {
    if (message.t === 'reply') {
      const pending = this.#replies.get(message.id);
      this.#replies.delete(message.id);
      if (pending) pending.resolve(message.v);
      else this.strays.push(message);
      return;
    }
    this.events.push(message);
    for (const listener of this.#listeners) listener(message);
  }

  onEvent(listener: (event: GodotEvent) => void): void {
    this.#listeners.add(listener);
  }

  /** Sends a command and resolves with the scene's reply (rejects after timeoutMs). */
  call<T = unknown>(t: string, args: object = {}, timeoutMs = 15_000): Promise<T> {
    if (!this.#socket || this.#exited) return Promise.reject(new Error(`Godot is not running (${t})`));
    return new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no reply from Godot to ${t} in ${timeoutMs} ms\n${this.output}`)), timeoutMs);
      const settle = <A>(f: (a: A) => void) => (a: A) => {
        clearTimeout(timer);
        f(a);
      };
      const id = this.#nextId++;
      this.#replies.set(id, { resolve: settle(ok as (v: unknown) => void), reject: settle(fail), what: t });
      this.#socket!.write(`${JSON.stringify({ t, id, ...args })}\n`);
    });
  }

  /** initialize(config) on a new WebRTCPeerConnection; also the pids of Godot's worker children. */
  init(config: object): Promise<{ class: string; error: number; workers: number[] }> {
    return this.call('init', { config });
  }

  createChannel(label: string, options: object = {}): Promise<GodotChannel | -1> {
    return this.call('channel', { label, options });
  }

  send(key: number, data: Uint8Array, text: boolean): Promise<number> {
    return this.call('send', { key, text, b64: Buffer.from(data).toString('base64') });
  }

  /** The latest reported state of channel `key` (undefined before the first report). */
  channelState(key: number): number | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.t === 'state' && e.key === key) return e.state;
    }
    return undefined;
  }

  connectionStates(): number[] {
    return this.events.flatMap((e) => (e.t === 'connection' ? [e.state] : []));
  }

  received(): GodotChannel[] {
    return this.events.flatMap((e) => (e.t === 'received' ? [e.channel] : []));
  }

  messages(key: number): Array<{ data: Buffer; isString: boolean }> {
    return this.events.flatMap((e) => (e.t === 'message' && e.key === key ? [{ data: Buffer.from(e.b64, 'base64'), isString: e.string }] : []));
  }

  /** Waits (event-driven, 10 ms checks) until done(); `check` may throw to stop early. */
  async until(done: () => boolean, what: string, timeoutMs = 15_000, check?: () => void): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      check?.();
      if (done()) return;
      if (this.#exited) throw new Error(`Godot exited while waiting for ${what}\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nGodot events: ${JSON.stringify(this.events.filter((e) => e.t !== 'message' && e.t !== 'candidate' && e.t !== 'description'))}\nGodot output:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Asks the scene to finish; resolves with its exit code and output (kills it after timeoutMs). */
  async quit(timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
    await this.call('quit').catch(() => undefined);
    const timer = setTimeout(() => this.kill(), timeoutMs);
    const code = await this.#exit;
    clearTimeout(timer);
    this.#close();
    return { code, output: this.output };
  }

  /** Ends Godot at once (its worker sees Godot go and exits by itself). Safe to repeat. */
  kill(): void {
    if (!this.#exited) this.#child.kill('SIGKILL');
    this.#close();
  }

  #close(): void {
    this.#socket?.destroy();
    this.#server.close();
  }
}
