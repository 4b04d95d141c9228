#!/usr/bin/env node
// Benchmark: what a game feels through Godot (issue 10). Three sides, measured in one run,
// alternately where it matters, and printed as a markdown table with ratios:
//   node-datachannel alone   both peers in one Node process (scripts/bench/godot/ndc-peer.mjs,
//                            the approach of scripts/bench/core-vs-ndc.ts)
//   C client                 the bridge's client without Godot (scripts/bench/godot/client_peer.c,
//                            bench_client's loop extended to every measure), its worker
//   Godot 3                  headless godot3-server running godot-project/bench/godot3/bench.gd
//                            through the GDNative shim, its worker
// (and Godot 4, godot-project/bench/godot4/, where GODOT4 names a binary). All three run the
// addon's worker files on the addon's Node runtime. Every configuration pins ICE to loopback.
//
// Measures: throughput (16 KiB, 1 KiB, 64 B; reliable and unreliable), 64-byte round trip
// (both peers in one process, and one peer in each of two processes signalling through a
// relay here on 127.0.0.1), main-thread cost per call (put_packet, get_packet, poll() of idle
// connections), setup time (1 pair, 32 at once), 256 live connections (memory per connection,
// idle CPU), and the system calls of the main thread over 10,000 messages (strace on that
// thread alone). Each is printed beside its goal.
//
//   node scripts/bench/godot.mjs          (or BENCH_ONLY=godot npm run bench)
// Environment: BENCH_GODOT_MS (throughput window, 400), BENCH_GODOT_ROUNDS (3),
// BENCH_GODOT_PINGS (300 per round), GODOT3, GODOT4.
import { childrenOf, CLK_TCK, cpuTicks, machine, rssKib } from './godot/procfs.mjs';
import { godots, prepare } from './godot/prepare.mjs';
import { printTables } from './godot/report.mjs';
import { connectRemote, startClient, startGodot, startNdc } from './godot/sides.mjs';
import { countWindow, findStrace } from './godot/strace.mjs';

const MS = Number(process.env.BENCH_GODOT_MS ?? 400);
const ROUNDS = Number(process.env.BENCH_GODOT_ROUNDS ?? 3);
const PINGS = Number(process.env.BENCH_GODOT_PINGS ?? 300);
const SIZES = [16384, 1024, 64];
const SETUP_ONE_PER_ROUND = 6; // one pair, sequentially
const SETUP_MANY = 32; // pairs at once, one batch per round
const CONNECTIONS = 256;
const IDLE_MS = 4000;
const STEADY = { messages: 10_000, perFrame: 100, frameUs: 16_667 }; // 100 messages a 60 Hz frame
const SIDES = ['ndc', 'client', 'godot'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rotate = (xs, n) => xs.map((_, i) => xs[(i + n) % xs.length]);

async function start(kind, paths, godot, name) {
  if (kind === 'ndc') return startNdc(paths, name);
  if (kind === 'client') return startClient(paths, name);
  return startGodot(paths, name, godot);
}

async function quitAll(sides) {
  await Promise.all(sides.filter(Boolean).map((s) => s.quit()));
}

/** Throughput, round trips, call costs, setup and the strace window, on one process a side. */
async function onePerSide(paths, godot, tag, r) {
  const sides = {};
  try {
    for (const kind of SIDES) sides[kind] = await start(kind, paths, godot, `${tag}-${kind}`);
    const pids = {}; // each side's processes: the program, and its worker
    for (const kind of SIDES) {
      const opened = await sides[kind].call({ t: 'open' }, 60_000);
      const worker = kind === 'godot' ? childrenOf(sides[kind].pid, 'worker.mjs')[0] : opened.worker;
      pids[kind] = [sides[kind].pid, ...(worker ? [worker] : [])];
    }
    const ticks = (kind) => pids[kind].reduce((sum, pid) => sum + cpuTicks(pid), 0);
    for (const kind of SIDES) await sides[kind].call({ t: 'throughput', size: 16384, reliable: true, ms: 200 }); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of rotate(SIDES, round)) {
        for (const size of SIZES) {
          for (const reliable of [true, false]) {
            const before = ticks(kind);
            const t = await sides[kind].call({ t: 'throughput', size, reliable, ms: MS });
            t.cpuSeconds = (ticks(kind) - before) / CLK_TCK; // includes the settling after the window
            (r.throughput[`${size}/${reliable}`] ??= { ndc: [], client: [], godot: [] })[kind].push(t);
          }
        }
        const rtt = await sides[kind].call({ t: 'rtt', count: PINGS });
        r.rtt.one[kind].push(...rtt.rtts);
        r.rtt.oneLost[kind] += rtt.lost;
      }
    }
    for (const kind of SIDES) r.calls[kind] = await sides[kind].call({ t: 'calls', batches: 10 });
    for (let round = 0; round < Math.max(2, ROUNDS); round++) {
      for (const kind of rotate(SIDES, round)) {
        const one = await sides[kind].call({ t: 'setup', pairs: 1, repeat: SETUP_ONE_PER_ROUND });
        r.setup.one[kind].push(...one.times);
        r.setup.failed[kind] += one.failed;
        const many = await sides[kind].call({ t: 'setup', pairs: SETUP_MANY, repeat: 1 });
        r.setup.many[kind].push(...many.times);
        r.setup.failed[kind] += many.failed;
      }
    }
    const strace = findStrace();
    for (const kind of SIDES) {
      if (!strace) {
        r.syscalls[kind] = { error: 'strace is not available (apt-get install -y strace failed)' };
        continue;
      }
      const side = sides[kind];
      try {
        r.syscalls[kind] = await countWindow(strace, side.pid, `${paths.logs}/${tag}-${kind}.strace`, () =>
          side.call({ t: 'steady', ...STEADY }, 60_000),
        );
      } catch (error) {
        r.syscalls[kind] = { error: String(error.message ?? error) };
      }
    }
  } finally {
    await quitAll(Object.values(sides));
  }
}

/** 64-byte round trips with each peer in its own process, signalling through this process. */
async function twoProcesses(paths, godot, tag, r) {
  for (const kind of SIDES) {
    const pair = [];
    try {
      pair.push(await start(kind, paths, godot, `${tag}-${kind}-offer`));
      pair.push(await start(kind, paths, godot, `${tag}-${kind}-answer`));
      await connectRemote(pair[0], pair[1]);
      const echo = pair[1].call({ t: 'echo', count: PINGS * ROUNDS, ms: 60_000 }, 90_000);
      await sleep(100); // the echo loop runs
      const ping = await pair[0].call({ t: 'ping', count: PINGS * ROUNDS }, 90_000);
      await echo;
      r.rtt.two[kind].push(...ping.rtts);
      r.rtt.twoLost[kind] += ping.lost;
    } catch (error) {
      r.errors.push(`two processes (${kind}): ${error.message ?? error}`);
    } finally {
      await quitAll(pair);
    }
  }
}

/** 256 live connections in a fresh process a side: memory, poll() cost, idle CPU. */
async function fleet(paths, godot, tag, r) {
  for (const kind of SIDES) {
    let side;
    try {
      side = await start(kind, paths, godot, `${tag}-${kind}-fleet`);
      const warm = await side.call({ t: 'warm' });
      await sleep(1000); // the worker has started and settled
      const worker = kind === 'godot' ? (childrenOf(side.pid, 'worker.mjs')[0] ?? 0) : warm.worker;
      const before = { app: rssKib(side.pid), worker: worker ? rssKib(worker) : 0 };
      const opened = await side.call({ t: 'fleet', connections: CONNECTIONS }, 300_000);
      await sleep(1000);
      const after = { app: rssKib(side.pid), worker: worker ? rssKib(worker) : 0 };
      const t0 = performance.now();
      const ticks0 = { app: cpuTicks(side.pid), worker: worker ? cpuTicks(worker) : 0 };
      await side.call({ t: 'idle', ms: IDLE_MS }, IDLE_MS + 30_000);
      const seconds = (performance.now() - t0) / 1000;
      const ticks1 = { app: cpuTicks(side.pid), worker: worker ? cpuTicks(worker) : 0 };
      const cpu = (k) => ((ticks1[k] - ticks0[k]) / CLK_TCK / seconds) * 100;
      r.fleet[kind] = {
        opened: opened.opened,
        ms: opened.ms,
        poll: opened.poll,
        before,
        after,
        perConnection: { app: (after.app - before.app) / CONNECTIONS, worker: (after.worker - before.worker) / CONNECTIONS },
        cpu: { app: cpu('app'), worker: worker ? cpu('worker') : 0 },
        hasWorker: worker !== 0,
      };
    } catch (error) {
      r.errors.push(`256 connections (${kind}): ${error.message ?? error}`);
    } finally {
      await quitAll([side]);
    }
  }
}

function emptyResults() {
  const per = (v) => ({ ndc: v(), client: v(), godot: v() });
  return {
    throughput: {},
    rtt: { one: per(() => []), two: per(() => []), oneLost: per(() => 0), twoLost: per(() => 0) },
    calls: {},
    setup: { one: per(() => []), many: per(() => []), failed: per(() => 0) },
    syscalls: {},
    fleet: {},
    errors: [],
  };
}

async function measure(paths, godot, tag) {
  const r = emptyResults();
  const phases = [
    ['one process a side', onePerSide],
    ['two processes', twoProcesses],
    ['256 connections', fleet],
  ];
  for (const [name, phase] of phases) {
    const t0 = Date.now();
    try {
      await phase(paths, godot, tag, r);
    } catch (error) {
      r.errors.push(`${name}: ${error.message ?? error}`);
    }
    console.error(`  (${tag}: ${name} took ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  return r;
}

async function main() {
  const paths = prepare();
  const g = godots();
  const before = machine();
  const dialects = [
    ['Godot 3', 'godot3', g.godot3, g.why3],
    ['Godot 4', 'godot4', g.godot4, g.why4],
  ];
  const runs = [];
  for (const [label, tag, godot, why] of dialects) {
    if (!godot) {
      runs.push({ label, skipped: why });
      continue;
    }
    const started = Date.now();
    const results = await measure(paths, godot, tag);
    runs.push({ label, godot, results, seconds: (Date.now() - started) / 1000 });
  }
  const after = machine();
  printTables({ paths, before, after, runs, settings: { MS, ROUNDS, PINGS, SETUP_ONE_PER_ROUND, SETUP_MANY, CONNECTIONS, IDLE_MS, STEADY } });
  const failed = runs.some((run) => run.results?.errors.length > 0) || !g.godot3;
  setTimeout(() => process.exit(failed ? 1 : 0), 100);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
