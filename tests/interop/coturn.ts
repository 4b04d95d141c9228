// Debian's coturn (the `turnserver` binary), started by a test and stopped
// afterwards: STUN and TURN over UDP and TCP on one port, long-term
// credentials, no TLS/DTLS listener, no CLI, its log on stdout kept in memory.
// It reads no system configuration: an empty config file and a private user
// database live in a temporary directory removed at stop().
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './leftovers.js';

/** Installed by scripts/install-interop.sh (Debian package `coturn`). */
export const TURNSERVER = '/usr/bin/turnserver';

export const TURN_USER = 'godot';
export const TURN_PASSWORD = 'interop-secret';
export const TURN_REALM = 'interop.test';

export interface CoturnOptions {
  /** Addresses to listen on (STUN/TURN over UDP and TCP). */
  readonly listen: readonly string[];
  /** Fixed port; a free one on listen[0] by default (only in this namespace). */
  readonly port?: number;
  /** Run inside this network namespace (`ip netns exec`). */
  readonly netns?: string;
  /** Long-term credential accounts, `name` → password; TURN_USER only by default. */
  readonly users?: Readonly<Record<string, string>>;
}

/**
 * coturn runs under a small sh that holds the other end of its stdin: when
 * the test process ends, however it ends (SIGKILL included), the pipe closes,
 * `read` returns and coturn is stopped. stop() closes the pipe on purpose.
 * (A background job's stdin is /dev/null unless redirected: hence fd 3.)
 */
const WATCH = 'test -x "$0" || { echo "could not run $0: install it with scripts/install-interop.sh"; exit 127; }; exec 3<&0; "$0" "$@" </dev/null & pid=$!; { read -r _ <&3; kill $pid 2>/dev/null; } & wait $pid';

export class Coturn {
  readonly port: number;
  readonly #child: ChildProcess;
  readonly #dir: string;
  #log = '';
  #exited: Promise<void>;
  #running = true;

  private constructor(child: ChildProcess, dir: string, port: number) {
    this.#child = child;
    this.#dir = dir;
    this.port = port;
    child.stdin!.on('error', () => undefined);
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.#log += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.#log += text));
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => ((this.#running = false), resolve()));
      child.once('error', (error) => ((this.#log += `could not start coturn: ${error.message}\n`), (this.#running = false), resolve()));
    });
  }

  static async start(options: CoturnOptions): Promise<Coturn> {
    const port = options.port ?? (await freePort(options.listen[0]!));
    const dir = tempDir('coturn');
    writeFileSync(join(dir, 'empty.conf'), '');
    const args = [
      '-c', join(dir, 'empty.conf'),
      ...options.listen.flatMap((ip) => ['--listening-ip', ip]),
      // Relayed traffic leaves from the first address.
      '--relay-ip', options.listen[0]!,
      '--listening-port', String(port),
      '--lt-cred-mech', '--realm', TURN_REALM,
      ...Object.entries(options.users ?? { [TURN_USER]: TURN_PASSWORD }).flatMap(([name, password]) => ['--user', `${name}:${password}`]),
      '--no-cli', '--no-tls', '--no-dtls',
      // Peers on 127.0.0.1 are refused by default (coturn 4.6 --help).
      '--allow-loopback-peers',
      '--userdb', join(dir, 'turndb'), '--pidfile', join(dir, 'turnserver.pid'),
      '--log-file', 'stdout', '--simple-log', '--verbose',
    ];
    const watched = ['sh', '-c', WATCH, TURNSERVER, ...args];
    const [command, ...argv] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...watched] : watched;
    const child = spawn(command!, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    const server = new Coturn(child, dir, port);
    liveServers.add(server);
    try {
      // Ready once every address has its UDP listener (coturn logs one line per address and thread).
      await server.waitForLog((log) => options.listen.every((ip) => log.includes(`UDP listener opened on: ${ip}:${port}`)), 10_000, 'coturn to listen');
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get log(): string {
    return this.#log;
  }

  /** coturn's log lines about `user` (it names the user in each line of an authenticated session). */
  linesFor(user: string): string[] {
    return this.#log.split('\n').filter((line) => line.includes(`user <${user}>`) || line.includes(`username=<${user}>`));
  }

  /** Successful TURN allocations for `user` so far (one "ALLOCATE processed, success" line each). */
  allocations(user = TURN_USER): number {
    return this.linesFor(user).filter((line) => line.includes('ALLOCATE processed, success')).length;
  }

  async waitForLog(done: (log: string) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.#log)) {
      if (!this.#running) throw new Error(`coturn exited while waiting for ${what}:\n${this.#log}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}:\n${this.#log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Synchronous last resort (process exit); stop() is the normal path. */
  kill(): void {
    if (!this.#running) return;
    try {
      process.kill(Number(readFileSync(join(this.#dir, 'turnserver.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // Not started, or gone already.
    }
  }

  async stop(): Promise<void> {
    liveServers.delete(this);
    this.#child.stdin!.end(); // the watcher stops coturn, and sh exits
    if (this.#running) {
      const timer = setTimeout(() => this.kill(), 3_000);
      await this.#exited;
      clearTimeout(timer);
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** A port free for both UDP and TCP on `ip` right now (coturn takes both). */
async function freePort(ip: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(0, ip, resolve));
    const { port } = udp.address();
    const tcp = createServer();
    const tcpFree = await new Promise<boolean>((resolve) => tcp.once('error', () => resolve(false)).listen(port, ip, () => resolve(true)));
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcpFree) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (tcpFree || attempt >= 10) return port;
  }
}

/** coturn must not outlive the test process, even when a test throws before stop(). */
const liveServers = new Set<Coturn>();
process.once('exit', () => {
  for (const server of liveServers) server.kill();
});
