#!/usr/bin/env node
// The demo, until a Godot runs it: two worker processes (the bundle the addon
// ships), one peer each, signalled through this script the way a game's
// signalling server would, chatting over a data channel on loopback.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORKER = join(root, 'build', 'worker', 'worker.mjs');
const LOOPBACK = { iceServers: [], libdatachannel: { bindAddress: '127.0.0.1' } };

class Worker {
  #child;
  #nextId = 1;
  #pending = new Map();
  onEvent = () => {};

  constructor(name) {
    this.name = name;
    this.#child = spawn(process.execPath, [WORKER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const record = JSON.parse(line);
      if (record.event) this.onEvent(record.event);
      else this.#pending.get(record.reply)?.(record), this.#pending.delete(record.reply);
    });
  }

  call(op, args = {}) {
    const id = this.#nextId++;
    this.#child.stdin.write(`${JSON.stringify({ id, op, ...args })}\n`);
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (r) => (r.status === 0 ? resolve(r) : reject(new Error(`${this.name}: ${op} failed with status ${r.status}`))));
    });
  }

  end() {
    this.#child.stdin.end();
    return new Promise((resolve) => this.#child.on('exit', resolve));
  }
}

const alice = new Worker('alice');
const bob = new Worker('bob');
const [pa, pb] = [(await alice.call('create-peer')).handle, (await bob.call('create-peer')).handle];
await alice.call('initialize', { pc: pa, config: LOOPBACK });
await bob.call('initialize', { pc: pb, config: LOOPBACK });
const chA = (await alice.call('create-data-channel', { pc: pa, label: 'chat', options: {} })).handle;

let chB;
let aOpen = false;
const lines = ['Hello Bob, this is Alice.', 'Hi Alice! Bob here, loud and clear.', 'Great, the addon works. Bye!', 'Bye!'];
let turn = 0;
const opened = new Promise((resolve) => {
  const relay = (from, fromPc, to, toPc) => async (e) => {
    if (e.kind === 'description') {
      await from.call('set-local-description', { pc: fromPc, type: e.type, sdp: e.sdp });
      await to.call('set-remote-description', { pc: toPc, type: e.type, sdp: e.sdp });
    } else if (e.kind === 'candidate') {
      await to.call('add-ice-candidate', { pc: toPc, mid: e.mid, index: e.index, candidate: e.candidate });
    } else if (e.kind === 'channel-received') {
      chB = e.ch;
      if (aOpen) resolve();
    } else if (e.kind === 'channel-state' && e.state === 1 && e.ch === chA) {
      aOpen = true;
      if (chB !== undefined) resolve();
    } else if (e.kind === 'message') {
      const text = Buffer.from(e.data, 'base64').toString('utf8');
      console.log(`${to === bob ? 'alice' : 'bob'} received: ${text}`);
      void say();
    } else if (e.kind === 'log') {
      console.error(`${from.name}: ${e.level}: ${e.message}`);
    }
  };
  alice.onEvent = relay(alice, pa, bob, pb);
  bob.onEvent = relay(bob, pb, alice, pa);
});

let finish;
const finished = new Promise((resolve) => (finish = resolve));
async function say() {
  if (turn >= lines.length) return finish();
  const [who, ch] = turn % 2 === 0 ? [alice, chA] : [bob, chB];
  const text = lines[turn++];
  console.log(`${who.name} sends: ${text}`);
  await who.call('send', { ch, data: Buffer.from(text).toString('base64'), isString: true });
}

await alice.call('create-offer', { pc: pa });
await opened;
await say();
await finished;
await Promise.all([alice.end(), bob.end()]);
console.log('demo finished: two peers connected through the core and chatted.');
