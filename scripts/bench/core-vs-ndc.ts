// Benchmark: the core (with its Godot-shaped facade) against node-datachannel
// used directly, both peers in one process on loopback, measured alternately
// in the same run. Throughput for 16 KiB and 1 KiB reliable messages with the
// same back-pressure rule on both sides (send while ≤ 1 MiB is buffered), and
// 64-byte ping-pong RTT. The core side is woken by its events (as the
// bridge's doorbell will wake it), never by spinning.
import ndc from 'node-datachannel';
import { Session } from '../../extension/src/api/session.js';
import type { DataChannel } from '../../extension/src/api/data-channel.js';
import { GodotError } from '../../extension/src/godot/enums.generated.js';
import { openPair } from '../../extension/src/testing/loopback.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';

const WINDOW = 1 << 20;
// Many short alternating rounds: this 2-core machine drifts by 20-30 % within
// a run, so long back-to-back blocks measure the drift.
const THROUGHPUT_MS = Number(process.env.BENCH_MS ?? 500);
const PINGS = Number(process.env.BENCH_PINGS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

interface Link {
  /** Streams `size`-byte messages for `ms`, returns bytes/s received. */
  throughput(size: number, ms: number): Promise<number>;
  /** Ping-pong of 64-byte messages; returns RTTs in µs. */
  pingPong(count: number): Promise<number[]>;
  close(): void;
}

// ---- node-datachannel directly ------------------------------------------------

type NdcChannel = ReturnType<InstanceType<typeof ndc.PeerConnection>['createDataChannel']>;

async function directLink(): Promise<Link> {
  const cfg = { iceServers: [], bindAddress: '127.0.0.1' };
  const a = new ndc.PeerConnection('bench-a', cfg);
  const b = new ndc.PeerConnection('bench-b', cfg);
  // node-datachannel delivers each callback kind on its own queue, so a
  // candidate can overtake the description it belongs to: hold it until then.
  const signal = (from: typeof a, to: typeof a) => {
    let described = false;
    const held: Array<[string, string]> = [];
    from.onLocalDescription((sdp, type) => {
      to.setRemoteDescription(sdp, type);
      described = true;
      for (const [c, mid] of held.splice(0)) to.addRemoteCandidate(c, mid);
    });
    from.onLocalCandidate((c, mid) => (described ? to.addRemoteCandidate(c, mid) : held.push([c, mid])));
  };
  signal(a, b);
  signal(b, a);
  const remoteP = new Promise<NdcChannel>((resolve) => b.onDataChannel((ch) => resolve(ch)));
  const ch = a.createDataChannel('bench');
  await new Promise<void>((resolve) => ch.onOpen(() => resolve()));
  const remote = await remoteP;
  let onRemote: (msg: Buffer) => void = () => undefined;
  let onLocal: (msg: Buffer) => void = () => undefined;
  remote.onMessage((m) => onRemote(m as Buffer));
  ch.onMessage((m) => onLocal(m as Buffer));
  ch.setBufferedAmountLowThreshold(WINDOW / 4);
  let onLow: () => void = () => undefined;
  ch.onBufferedAmountLow(() => onLow());
  return {
    async throughput(size, ms) {
      const payload = Buffer.alloc(size, 7);
      let received = 0;
      onRemote = (m) => (received += m.byteLength);
      const t0 = performance.now();
      let running = true;
      const pump = () => {
        while (running && ch.bufferedAmount() < WINDOW) ch.sendMessageBinary(payload);
      };
      onLow = pump;
      pump();
      await new Promise((r) => setTimeout(r, ms));
      running = false;
      const secs = (performance.now() - t0) / 1000;
      const result = received / secs;
      await drain(() => ch.bufferedAmount() === 0);
      onRemote = () => undefined;
      return result;
    },
    pingPong(count) {
      const rtts: number[] = [];
      const payload = Buffer.alloc(64, 1);
      onRemote = (m) => remote.sendMessageBinary(m);
      return new Promise((resolve) => {
        let t0 = 0n;
        onLocal = () => {
          rtts.push(Number(process.hrtime.bigint() - t0) / 1000);
          if (rtts.length === count) return resolve(rtts);
          t0 = process.hrtime.bigint();
          ch.sendMessageBinary(payload);
        };
        t0 = process.hrtime.bigint();
        ch.sendMessageBinary(payload);
      });
    },
    close() {
      a.close();
      b.close();
    },
  };
}

// ---- through the core -----------------------------------------------------------

async function coreLink(): Promise<Link> {
  let wake: () => void = () => undefined;
  let scheduled = false;
  const run = () => {
    scheduled = false;
    wake();
  };
  const session = new Session({
    transport: ndcTransport,
    tap: () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(run);
    },
  });
  const { channel, remote } = await openPair(session, 'bench');
  const drainInto = (ch: DataChannel, fn: (data: Uint8Array) => void) => {
    while (ch.getAvailablePacketCount() > 0) fn(ch.getPacket());
  };
  return {
    async throughput(size, ms) {
      const payload = new Uint8Array(size).fill(7);
      let received = 0;
      let running = true;
      const pump = () => {
        drainInto(remote, (d) => (received += d.byteLength));
        while (running && channel.getBufferedAmount() < WINDOW) {
          if (channel.putPacket(payload) !== GodotError.OK) break;
        }
      };
      wake = pump;
      const t0 = performance.now();
      pump();
      await new Promise((r) => setTimeout(r, ms));
      running = false;
      const secs = (performance.now() - t0) / 1000;
      const result = received / secs;
      await drain(() => {
        drainInto(remote, () => undefined);
        return channel.getBufferedAmount() === 0;
      });
      wake = () => undefined;
      return result;
    },
    pingPong(count) {
      const rtts: number[] = [];
      const payload = new Uint8Array(64).fill(1);
      return new Promise((resolve) => {
        let t0 = process.hrtime.bigint();
        wake = () => {
          drainInto(remote, (d) => remote.putPacket(d));
          drainInto(channel, () => {
            rtts.push(Number(process.hrtime.bigint() - t0) / 1000);
            if (rtts.length === count) return resolve(rtts);
            t0 = process.hrtime.bigint();
            channel.putPacket(payload);
          });
        };
        channel.putPacket(payload);
      });
    },
    close() {
      session.close();
    },
  };
}

// ---- harness ------------------------------------------------------------------------

async function drain(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function main(): Promise<void> {
  const coreFirst = process.env.BENCH_CORE_FIRST === '1';
  const core0 = coreFirst ? await coreLink() : undefined;
  const direct = await directLink();
  const core = core0 ?? (await coreLink());
  // Warm both paths up once.
  await direct.throughput(16384, 300);
  await core.throughput(16384, 300);
  const results: Record<string, { direct: number[]; core: number[] }> = {
    'throughput 16 KiB (MB/s)': { direct: [], core: [] },
    'throughput 1 KiB (MB/s)': { direct: [], core: [] },
  };
  const rtts = { direct: [] as number[], core: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first so drift hurts both alike.
    const order: Array<['direct' | 'core', Link]> = round % 2 === 0 ? [['direct', direct], ['core', core]] : [['core', core], ['direct', direct]];
    for (const [name, link] of order) {
      if (THROUGHPUT_MS > 0) {
        results['throughput 16 KiB (MB/s)']![name].push((await link.throughput(16384, THROUGHPUT_MS)) / 1e6);
        results['throughput 1 KiB (MB/s)']![name].push((await link.throughput(1024, THROUGHPUT_MS)) / 1e6);
      }
      rtts[name].push(...(await link.pingPong(PINGS)));
    }
  }
  direct.close();
  core.close();
  console.log(`core vs node-datachannel directly: ${ROUNDS} alternating rounds, one process, loopback;`);
  console.log(`throughput is the median of ${ROUNDS} windows of ${THROUGHPUT_MS} ms, RTT percentiles pool ${ROUNDS} × ${PINGS} pings`);
  console.log('| measure | node-datachannel | core | ratio | goal |');
  console.log('|---|---|---|---|---|');
  const row = (name: string, d: number, c: number, digits: number, goal: string) =>
    console.log(`| ${name} | ${d.toFixed(digits)} | ${c.toFixed(digits)} | ${(c / d).toFixed(2)}× | ${goal} |`);
  for (const [name, r] of Object.entries(results)) if (r.core.length > 0) row(name, median(r.direct), median(r.core), 1, '≥ 0.95×');
  row('RTT 64 B p50 (µs)', pct(rtts.direct, 50), pct(rtts.core, 50), 0, '≤ 1.05×');
  row('RTT 64 B p99 (µs)', pct(rtts.direct, 99), pct(rtts.core, 99), 0, '≤ 1.05×');
  setTimeout(() => process.exit(0), 100);
}

void main();
