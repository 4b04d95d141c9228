#!/usr/bin/env node
// Benchmark: the whole bridge against node-datachannel alone, measured alternately in one
// run on this machine.
//
//   bridge:  C client (bridge/client/tests/bench_client.c) -> COMMANDS ring -> worker
//            (build/worker/worker.mjs, the core on node-datachannel) -> loopback -> worker
//            -> EVENTS ring -> C client
//   alone:   node-datachannel, both peers in this Node process
//
// Both sides stream reliable 16 KiB and 1 KiB messages with the same back-pressure policy
// (send while at most 1 MiB is buffered; bufferedAmountLow at 256 KiB for node-datachannel,
// get_buffered_amount() for the client) and count bytes received. Reported: the median of
// BENCH_ROUNDS windows of BENCH_MS ms each, the ratio (goal >= 0.9x), and the doorbell
// rings the client sent on its send path (each one a system call; none while the worker is
// awake) per 1,000 messages.
//
//   node scripts/bench-bridge.mjs            (builds what it needs with make -C bridge)
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ndc from 'node-datachannel';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WINDOW = 1 << 20;
const MS = Number(process.env.BENCH_MS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SIZES = [16384, 1024];

function build() {
  const worker = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const make = spawnSync('make', ['-s', '-C', join(root, 'bridge'), 'for-bench-bridge', `NODE=${process.execPath}`], { stdio: 'inherit' });
  if (worker.status !== 0 || make.status !== 0) throw new Error('build failed');
}

// ---- node-datachannel alone ------------------------------------------------------------

async function aloneLink() {
  const cfg = { iceServers: [], bindAddress: '127.0.0.1' };
  const a = new ndc.PeerConnection('alone-a', cfg);
  const b = new ndc.PeerConnection('alone-b', cfg);
  // Callbacks arrive on separate queues: hold a candidate until its description is set.
  const signal = (from, to) => {
    let described = false;
    const held = [];
    from.onLocalDescription((sdp, type) => {
      to.setRemoteDescription(sdp, type);
      described = true;
      for (const [c, mid] of held.splice(0)) to.addRemoteCandidate(c, mid);
    });
    from.onLocalCandidate((c, mid) => (described ? to.addRemoteCandidate(c, mid) : held.push([c, mid])));
  };
  signal(a, b);
  signal(b, a);
  const remoteReady = new Promise((resolve) => b.onDataChannel((ch) => resolve(ch)));
  const ch = a.createDataChannel('bench');
  await new Promise((resolve) => ch.onOpen(() => resolve()));
  const remote = await remoteReady;
  let onRemote = () => undefined;
  remote.onMessage((m) => onRemote(m));
  ch.setBufferedAmountLowThreshold(WINDOW / 4);
  let onLow = () => undefined;
  ch.onBufferedAmountLow(() => onLow());
  return {
    async throughput(size, ms) {
      const payload = Buffer.alloc(size, 7);
      let received = 0;
      let messages = 0;
      onRemote = (m) => {
        received += m.byteLength;
        messages++;
      };
      let running = true;
      const pump = () => {
        while (running && ch.bufferedAmount() < WINDOW) ch.sendMessageBinary(payload);
      };
      onLow = pump;
      const t0 = performance.now();
      pump();
      await new Promise((r) => setTimeout(r, ms));
      running = false;
      const seconds = (performance.now() - t0) / 1000;
      const result = { bytes: received, messages, seconds };
      const deadline = Date.now() + 10_000;
      while (ch.bufferedAmount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      onRemote = () => undefined;
      return result;
    },
    close() {
      a.close();
      b.close();
    },
  };
}

// ---- through the bridge -----------------------------------------------------------------

async function bridgeLink() {
  const child = spawn(
    join(root, 'bridge', 'client', 'build', 'bench_client'),
    ['--worker', join(root, 'build', 'worker', 'worker.mjs'), '--node', process.execPath, '--shm-addon', join(root, 'bridge', 'node', 'build', 'shm.node')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  let waiter;
  lines.on('line', (line) => (waiter ? (waiter(line), (waiter = undefined)) : queue.push(line)));
  const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => (waiter = resolve)));
  const ready = await next();
  if (!ready?.startsWith('ready')) throw new Error(`bench_client: ${ready}`);
  return {
    pid: Number(ready.split(' ')[1]),
    async throughput(size, ms) {
      child.stdin.write(`throughput ${size} ${ms}\n`);
      return JSON.parse(await next());
    },
    close() {
      child.stdin.end('quit\n');
    },
  };
}

// ---- run ----------------------------------------------------------------------------------

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main() {
  build();
  const alone = await aloneLink();
  const bridge = await bridgeLink();
  for (const size of SIZES) {
    await alone.throughput(size, 300); // warm up both paths
    await bridge.throughput(size, 300);
  }
  const results = Object.fromEntries(SIZES.map((size) => [size, { alone: [], bridge: [], rings: 0, messages: 0, waits: 0, overflowed: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first so the machine's drift hurts both alike.
    const order = round % 2 === 0 ? ['alone', 'bridge'] : ['bridge', 'alone'];
    for (const size of SIZES) {
      for (const side of order) {
        const r = side === 'alone' ? await alone.throughput(size, MS) : await bridge.throughput(size, MS);
        results[size][side].push(r.bytes / r.seconds / 1e6);
        if (side === 'bridge') {
          results[size].rings += r.rings;
          results[size].messages += r.messages;
          results[size].waits += r.waits;
          results[size].overflowed += r.overflowed;
        }
      }
    }
  }
  alone.close();
  bridge.close();
  console.log(`bridge (C client -> worker -> node-datachannel loopback -> worker -> C client) vs node-datachannel alone`);
  console.log(`(both peers in one Node process); ${ROUNDS} alternating rounds of ${MS} ms, medians, one run, ${new Date().toISOString()}`);
  console.log('| message | node-datachannel alone | bridge | ratio | goal | client doorbell rings per 1,000 messages | client sleeps per 1,000 messages |');
  console.log('|---|---|---|---|---|---|---|');
  for (const size of SIZES) {
    const r = results[size];
    const a = median(r.alone);
    const b = median(r.bridge);
    const per = (n) => ((n * 1000) / Math.max(1, r.messages)).toFixed(2);
    console.log(`| ${size / 1024} KiB | ${a.toFixed(1)} MB/s | ${b.toFixed(1)} MB/s | ${(b / a).toFixed(2)}× | ≥ 0.9× | ${per(r.rings)} | ${per(r.waits)} |`);
  }
  setTimeout(() => process.exit(0), 100);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
