#!/usr/bin/env node
// Ring vs pipe between the same two processes, C (Godot's place) and Node (the worker's),
// measured in one run: 64 B round-trip latency (p50/p99) and one-way 16 KiB throughput
// C -> Node, over the shared-memory rings and over plain pipes, with ratios, plus the
// doorbell rings (system calls) on the ring's sending path.
//
//   node scripts/bench-ring.mjs [--rounds 50000] [--records 65536] [--spin-ns 50000]
//                               [--pipe-size 1048576]   (0: the kernel's default 64 KiB)
//
// It builds what it needs (make -C bridge for-bench), starts bridge/ring/build/bench_peer,
// which creates the region and starts this same script with --child as the Node side
// (REGION_FD and DOORBELL_FD of bridge/protocol/protocol.json, then the three descriptors
// right after them: the pipe from C, the pipe to C, a raw socketpair like the doorbell's).
// A benchmark, not a test: it
// reports, and exits non-zero only if the run itself failed.
import { spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bridge = join(root, 'bridge');

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '50000' },
    records: { type: 'string', default: '65536' },
    'pipe-size': { type: 'string', default: '1048576' },
    'spin-ns': { type: 'string', default: '50000' },
  },
});

if (values.child) {
  await child();
} else {
  launch();
}

function launch() {
  const build = spawnSync('make', ['-s', '-C', bridge, 'for-bench', `NODE=${process.execPath}`], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('bench-ring: build failed');
    process.exit(1);
  }
  const run = spawnSync(
    join(bridge, 'ring', 'build', 'bench_peer'),
    [
      '--script', fileURLToPath(import.meta.url),
      '--node', process.execPath,
      '--rounds', values.rounds,
      '--records', values.records,
      '--spin-ns', values['spin-ns'],
      '--pipe-size', values['pipe-size'],
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 },
  );
  const line = (run.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (run.status !== 0 || line === undefined) {
    process.stdout.write(run.stdout ?? '');
    console.error(`bench-ring: the run failed (exit ${run.status})`);
    process.exit(1);
  }
  report(JSON.parse(line.slice('BENCH_RESULT '.length)));
}

function report(r) {
  const us = (x) => `${x.toFixed(2)} µs`.padStart(10);
  const gbs = (x) => `${(x / 1e9).toFixed(2)} GB/s`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
  const spinUs = r.spin_ns / 1000;
  const rt = r.ring_throughput;
  const pt = r.pipe_throughput;
  const pipeBuffer = pt.pipe_size > 0 ? `${pt.pipe_size / 1024} KiB pipe buffer` : 'default 64 KiB pipe buffer';
  console.log(`bench-ring: C <-> Node ${process.version}; the same two processes for every row; one run`);
  console.log('');
  console.log(`64 B round trip, ${r.rounds} rounds                      p50        p99   doorbell rings (C)`);
  console.log(`  ring, spin up to ${spinUs} µs, then doorbell     ${us(r.ring_spin_rtt.p50_us)} ${us(r.ring_spin_rtt.p99_us)}   ${r.ring_spin_rtt.rings}`);
  console.log(`  ring, doorbell only (sleep at once)        ${us(r.ring_doorbell_rtt.p50_us)} ${us(r.ring_doorbell_rtt.p99_us)}   ${r.ring_doorbell_rtt.rings}`);
  console.log(`  pipe                                       ${us(r.pipe_rtt.p50_us)} ${us(r.pipe_rtt.p99_us)}`);
  console.log(`  raw socketpair (the doorbell's transport)  ${us(r.socket_rtt.p50_us)} ${us(r.socket_rtt.p99_us)}`);
  console.log(
    `  p50, pipe / ring: ${ratio(r.pipe_rtt.p50_us, r.ring_spin_rtt.p50_us)} with spin, ` +
      `${ratio(r.pipe_rtt.p50_us, r.ring_doorbell_rtt.p50_us)} doorbell only ` +
      `(goal: >= 1×; doorbell only costs two socket wakeups: raw socketpair / ring = ` +
      `${ratio(r.socket_rtt.p50_us, r.ring_doorbell_rtt.p50_us)})`,
  );
  console.log('');
  const mb = (r.records * r.record_bytes) / 1e6;
  console.log(`16 KiB one-way C -> Node, ${r.records} records (${mb.toFixed(0)} MB) x 3, median; Node copies each payload out`);
  console.log(`  ring  ${gbs(rt.bytes_per_s).padStart(11)}   runs ${rt.runs.map(gbs).join(', ')}`);
  console.log(`  pipe  ${gbs(pt.bytes_per_s).padStart(11)}   runs ${pt.runs.map(gbs).join(', ')} (${pipeBuffer}, framed, 1 write per record)`);
  console.log(`  ring / pipe: ${ratio(rt.bytes_per_s, pt.bytes_per_s)} (goal >= 2×)`);
  console.log(
    `  system calls on the ring's sending path: ${rt.rings} doorbell rings + ${rt.producer_waits} waits for space ` +
      `= ${((rt.rings + rt.producer_waits) / r.records).toFixed(4)} per record (pipe: 1 write per record); ` +
      `Node slept ${rt.node_sleeps} times, rang ${rt.node_rings}`,
  );
}

async function child() {
  const bundle = pathToFileURL(join(bridge, 'node', 'build', 'bridge-node.mjs')).href;
  const { mapRegion, Doorbell, RingConsumer, RingProducer, Status, statusName, RECORD_TYPE_MESSAGE_FIRST, REGION_FD, DOORBELL_FD } =
    await import(bundle);
  const T = {
    PING: RECORD_TYPE_MESSAGE_FIRST,
    PONG: RECORD_TYPE_MESSAGE_FIRST + 1,
    DATA: RECORD_TYPE_MESSAGE_FIRST + 2,
    END: RECORD_TYPE_MESSAGE_FIRST + 3,
    ACK: RECORD_TYPE_MESSAGE_FIRST + 4,
    MODE: RECORD_TYPE_MESSAGE_FIRST + 5,
    PIPE_RTT: RECORD_TYPE_MESSAGE_FIRST + 6,
    PIPE_DATA: RECORD_TYPE_MESSAGE_FIRST + 7,
    QUIT: RECORD_TYPE_MESSAGE_FIRST + 8,
    SOCKET_RTT: RECORD_TYPE_MESSAGE_FIRST + 9,
  };
  const mapped = mapRegion(REGION_FD);
  if (mapped.status !== Status.OK) throw new Error(mapped.message);
  const doorbell = new Doorbell(DOORBELL_FD);
  const input = new RingConsumer(mapped.region.commands);
  const output = new RingProducer(mapped.region.events);
  const inputBytes = Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength);
  const pipeIn = new Socket({ fd: DOORBELL_FD + 1, readable: true, writable: false });
  const pipeOut = new Socket({ fd: DOORBELL_FD + 2, readable: false, writable: true });
  pipeIn.pause();
  const rawSocket = new Socket({ fd: DOORBELL_FD + 3, readable: true, writable: true });
  rawSocket.pause();
  const sink = Buffer.alloc(1 << 20);
  const pong = Buffer.alloc(64, 0xa5);
  const one = Buffer.from([1]);
  let spinMs = 0.05;
  let records = 0;
  let sleeps = 0;
  let ringsBefore = 0;
  let wakeupsBefore = 0;

  const send = (type, payload) => {
    const length = payload === undefined ? 0 : payload.byteLength;
    let status;
    while ((status = output.reserve(length)) === Status.FULL) {
      if (output.publish()) doorbell.ring();
    }
    if (status !== Status.OK) throw new Error(`reserve: ${statusName(status)}`);
    if (payload !== undefined) output.data.set(payload, output.reservedOffset);
    output.commit(type);
    if (output.publish()) doorbell.ring();
  };
  const ack = (a, b, c, d) => send(T.ACK, new Uint8Array(new Uint32Array([a, b, c, d]).buffer));
  const argument = () => input.view.getUint32(input.offset, true);

  const plainRoundTrips = (rounds, from, to) =>
    new Promise((resolve) => {
      let pending = 0;
      let done = 0;
      const onData = (chunk) => {
        pending += chunk.length;
        while (pending >= 64) {
          pending -= 64;
          to.write(pong);
          if (++done === rounds) {
            from.off('data', onData);
            from.pause();
            resolve();
          }
        }
      };
      from.on('data', onData);
      from.resume();
    });

  const pipeRecords = (count) =>
    new Promise((resolve) => {
      const header = Buffer.alloc(8);
      let headerAt = 0;
      let length = -1;
      let got = 0;
      let received = 0;
      const onData = (chunk) => {
        let i = 0;
        while (i < chunk.length) {
          if (length < 0) {
            const k = Math.min(8 - headerAt, chunk.length - i);
            chunk.copy(header, headerAt, i, i + k);
            headerAt += k;
            i += k;
            if (headerAt === 8) {
              length = header.readUInt32LE(0);
              headerAt = 0;
              got = 0;
            }
          } else {
            const k = Math.min(length - got, chunk.length - i);
            chunk.copy(sink, got, i, i + k);
            got += k;
            i += k;
            if (got === length) {
              length = -1;
              if (++received === count) {
                pipeIn.off('data', onData);
                pipeIn.pause();
                pipeOut.write(one);
                resolve(received);
              }
            }
          }
        }
      };
      pipeIn.on('data', onData);
      pipeIn.resume();
    });

  // Event-driven, as the worker will be: drain from the doorbell's callback; spin up to
  // spinMs before saying we sleep.
  let asleep = false;
  let paused = false;
  const resume = () => {
    paused = false;
    pump();
  };
  const pump = () => {
    for (;;) {
      let status = input.peek();
      if (status === Status.EMPTY) {
        if (input.publish()) doorbell.ring();
        if (spinMs > 0) {
          const deadline = performance.now() + spinMs;
          while ((status = input.peek()) === Status.EMPTY && performance.now() < deadline);
        }
        if (status === Status.EMPTY) {
          if (input.prepareSleep()) {
            sleeps++;
            asleep = true;
            return;
          }
          continue;
        }
      }
      if (status !== Status.OK) throw new Error(`peek: ${statusName(status)}`);
      switch (input.type) {
        case T.PING:
          send(T.PONG, input.payload());
          break;
        case T.DATA:
          inputBytes.copy(sink, 0, input.offset, input.offset + input.length);
          records++;
          break;
        case T.END:
          ack(records, sleeps, doorbell.rings - ringsBefore, doorbell.wakeups - wakeupsBefore);
          break;
        case T.MODE:
          spinMs = argument() / 1e6;
          ack(0, 0, 0, 0);
          records = 0;
          sleeps = 0;
          ringsBefore = doorbell.rings;
          wakeupsBefore = doorbell.wakeups;
          break;
        case T.PIPE_RTT:
        case T.SOCKET_RTT: {
          const rounds = argument();
          const pipe = input.type === T.PIPE_RTT;
          input.advance();
          input.publish();
          paused = true;
          plainRoundTrips(rounds, pipe ? pipeIn : rawSocket, pipe ? pipeOut : rawSocket).then(() => {
            ack(rounds, 0, 0, 0);
            resume();
          });
          return;
        }
        case T.PIPE_DATA: {
          const count = argument();
          input.advance();
          input.publish();
          paused = true;
          pipeRecords(count).then((received) => {
            ack(received, 0, 0, 0);
            resume();
          });
          return;
        }
        case T.QUIT:
          input.advance();
          input.publish();
          doorbell.close();
          pipeIn.destroy();
          pipeOut.destroy();
          rawSocket.destroy();
          process.exit(0);
          return;
        default:
          throw new Error(`unexpected record type ${input.type}`);
      }
      input.advance();
    }
  };
  doorbell.onRing(() => {
    if (asleep && !paused) {
      asleep = false;
      input.endSleep();
      pump();
    }
  });
  pump();
}
