// The three sides the Godot benchmark compares, each a child process answering one command at
// a time with one JSON line ({"t":"reply",...}); during `remote` it also emits
// {"t":"signal",...} lines, which the benchmark relays to the other process of the pair.
//   ndc     node-datachannel alone, both peers in one Node process (ndc-peer.mjs), commands
//           as JSON lines on stdin
//   client  the bridge's C client without Godot (client_peer.c), commands as words on stdin
//   godot   a headless Godot running godot-project/bench/godot<N>/bench.gd, commands as JSON
//           lines over TCP: the scene connects to a server this module runs on 127.0.0.1
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const b64 = (text) => Buffer.from(String(text), 'utf8').toString('base64');

/** The C client's words for a command (client_peer.c's usage). */
function words(m) {
  switch (m.t) {
    case 'throughput':
      return `throughput ${m.size} ${m.reliable ? 1 : 0} ${m.ms}`;
    case 'rtt':
    case 'ping':
      return `${m.t} ${m.count}`;
    case 'calls':
      return `calls ${m.batches}`;
    case 'setup':
      return `setup ${m.pairs} ${m.repeat}`;
    case 'fleet':
      return `fleet ${m.connections}`;
    case 'idle':
      return `idle ${m.ms}`;
    case 'steady':
      return `steady ${m.messages} ${m.perFrame} ${m.frameUs}`;
    case 'remote':
      return `remote ${m.role}`;
    case 'echo':
      return `echo ${m.count} ${m.ms}`;
    case 'signal':
      return m.kind === 'desc' ? `desc ${m.type} ${b64(m.sdp)}` : `cand ${m.index} ${b64(m.mid)} ${b64(m.name)}`;
    default:
      return m.t;
  }
}

export class Side {
  /** @param {string} kind 'ndc' | 'client' | 'godot' */
  constructor(kind, name, child, write, log) {
    this.kind = kind;
    this.name = name;
    this.child = child;
    this.pid = child.pid;
    this.workerPid = 0;
    this.log = log;
    this.#write = write;
    this.onSignal = () => undefined;
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    void this.exited.then((how) => {
      for (const w of this.#waiting.splice(0)) w.reject(new Error(`${this.name} exited (${how}); see ${this.log}`));
    });
  }

  #write;
  #waiting = [];

  /** A line from the child. */
  line(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return; // a log line
    }
    if (message.t === 'signal') this.onSignal(message);
    else if (message.t === 'reply') this.#waiting.shift()?.resolve(message);
  }

  send(message) {
    this.#write(this.kind === 'client' ? words(message) : JSON.stringify(message));
  }

  /** Send a command and wait for its reply (rejects on an error reply, exit or timeout). */
  call(message, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no answer to ${message.t} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiting.push({
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.error) reject(new Error(`${this.name}: ${message.t}: ${reply.error}`));
          else resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.send(message);
    });
  }

  /** Ask it to quit; kill it (this process's own child, by pid) if it has not after 10 s. */
  async quit() {
    try {
      this.send({ t: 'quit' });
    } catch {
      // its input is gone
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function logTo(file) {
  return createWriteStream(file, { flags: 'w' });
}

/** A child whose stdout carries the JSON lines (ndc, client). */
function stdioSide(kind, name, command, args, options, logFile) {
  const log = logTo(logFile);
  const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.pipe(log);
  const side = new Side(kind, name, child, (text) => child.stdin.write(`${text}\n`), logFile);
  createInterface({ input: child.stdout }).on('line', (text) => {
    log.write(`${text.slice(0, 300)}\n`);
    side.line(text);
  });
  child.stdin.on('error', () => undefined);
  return side;
}

export function startNdc(paths, name) {
  return stdioSide('ndc', name, paths.runtime, [paths.ndcPeer], { cwd: paths.root }, `${paths.logs}/${name}.log`);
}

export function startClient(paths, name) {
  const args = ['--worker', paths.worker, '--node', paths.runtime, '--shm-addon', paths.shm];
  return stdioSide('client', name, paths.clientPeer, args, { cwd: paths.root }, `${paths.logs}/${name}.log`);
}

/** A Godot running the bench scene; resolves once it has said hello over the link. */
export function startGodot(paths, name, godot, env = {}) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    let side;
    const timer = setTimeout(() => {
      server.close();
      side?.child.kill('SIGKILL');
      reject(new Error(`${name}: Godot did not connect within 60 s; see ${paths.logs}/${name}.log`));
    }, 60_000);
    server.on('connection', (socket) => {
      server.close();
      socket.setNoDelay(true);
      side.attach(socket);
      createInterface({ input: socket }).on('line', (text) => {
        const message = JSON.parse(text);
        if (message.t === 'hello') {
          clearTimeout(timer);
          side.version = message.version;
          resolve(side);
        } else side.line(text);
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const log = logTo(`${paths.logs}/${name}.log`);
      const child = spawn(godot.binary, [...godot.args, '--path', paths.project, '-s', godot.scene], {
        cwd: paths.root,
        env: { ...process.env, ...godot.env, ...env, BENCH_GODOT_PORT: String(server.address().port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      let socket;
      side = new Side('godot', name, child, (text) => socket?.write(`${text}\n`), `${paths.logs}/${name}.log`);
      side.attach = (s) => (socket = s);
      child.on('exit', () => {
        clearTimeout(timer);
        server.close();
        reject(new Error(`${name}: Godot exited before it connected; see ${paths.logs}/${name}.log`));
      });
    });
  });
}

/** Start both processes of a remote pair, relay their signals to each other, and wait until
 * both ends of the channel are open. */
export async function connectRemote(offerer, answerer) {
  offerer.onSignal = (m) => answerer.send(m);
  answerer.onSignal = (m) => offerer.send(m);
  await Promise.all([offerer.call({ t: 'remote', role: 'offer' }, 60_000), answerer.call({ t: 'remote', role: 'answer' }, 60_000)]);
}
