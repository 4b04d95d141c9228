#!/usr/bin/env node
// Where the time goes, for the Godot benchmark's missed goals (issue 10): one phase of the
// bench scene in a fresh headless Godot 3, with
//   - the worker under `node --cpu-prof` (GODOT_WEBRTC_NODE names a wrapper that adds it;
//     the profile is written when the worker exits with Godot), summarized by self time;
//   - `perf record -e cpu-clock -g` on the Godot process for the phase (software clock: this
//     machine's virtual CPUs expose no hardware counters), summarized by symbol;
//   - CPU time per thread of Godot and of the worker over the phase (/proc/<pid>/task).
// Everything goes to build/bench/profile/<phase>/; the summary to stdout.
//
//   node scripts/bench/godot/profile.mjs <phase> [seconds]
//   phases: throughput64, throughput1k, throughput16k, rtt, calls, setup, idle (256 connections)
import { spawnSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childrenOf, CLK_TCK } from './procfs.mjs';
import { godots, prepare } from './prepare.mjs';
import { startGodot } from './sides.mjs';

const phase = process.argv[2] ?? 'throughput64';
const seconds = Number(process.argv[3] ?? 4);

const PHASES = {
  throughput64: (side) => side.call({ t: 'throughput', size: 64, reliable: true, ms: seconds * 1000 }),
  throughput1k: (side) => side.call({ t: 'throughput', size: 1024, reliable: true, ms: seconds * 1000 }),
  throughput16k: (side) => side.call({ t: 'throughput', size: 16384, reliable: true, ms: seconds * 1000 }),
  rtt: (side) => side.call({ t: 'rtt', count: Math.round(seconds * 2000) }),
  setup: (side) => side.call({ t: 'setup', pairs: 32, repeat: Math.max(1, Math.round(seconds)) }),
  idle: (side) => side.call({ t: 'idle', ms: seconds * 1000 }),
  calls: (side) => side.call({ t: 'calls', batches: Math.max(10, Math.round(seconds * 15)) }),
};

/** CPU ticks per thread: { tid: { name, ticks } }. */
function threads(pid) {
  const out = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out[tid] = { name, ticks: Number(f[11]) + Number(f[12]) };
    } catch {
      // gone
    }
  }
  return out;
}

function threadTable(label, before, after, secs) {
  const byName = {};
  for (const [tid, t] of Object.entries(after)) {
    const used = t.ticks - (before[tid]?.ticks ?? 0);
    const key = t.name.replace(/\d+$/, '#');
    byName[key] = byName[key] ?? { threads: 0, ticks: 0 };
    byName[key].threads++;
    byName[key].ticks += used;
  }
  const rows = Object.entries(byName).filter(([, v]) => v.ticks > 0).sort((a, b) => b[1].ticks - a[1].ticks);
  console.log(`\n${label}: CPU per thread name over ${secs.toFixed(1)} s (% of one core)`);
  for (const [name, v] of rows) console.log(`  ${((v.ticks / CLK_TCK / secs) * 100).toFixed(1).padStart(6)} %  ${name} (${v.threads} thread${v.threads > 1 ? 's' : ''})`);
}

/** Self time by function (and by URL) from a V8 .cpuprofile. */
function summarizeCpuProfile(file) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const counts = new Map();
  for (let i = 0; i < p.samples.length; i++) counts.set(p.samples[i], (counts.get(p.samples[i]) ?? 0) + (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0));
  const name = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
  };
  let all = 0;
  for (const [id, us] of counts) {
    all += us;
    const n = byId.get(id);
    self.set(name(n), (self.get(name(n)) ?? 0) + us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const k = name(byId.get(at));
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\nworker --cpu-prof (${(all / 1e6).toFixed(2)} s sampled, whole worker life): top self time`);
  for (const [k, us] of top(self, 22)) console.log(`  ${((us / all) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  console.log('worker: top inclusive time');
  for (const [k, us] of top(total, 22)) console.log(`  ${((us / all) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}

async function main() {
  const paths = prepare();
  const { godot3 } = godots();
  if (!godot3) throw new Error('no Godot 3');
  const dir = join(paths.out, 'profile', phase);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const wrapper = join(dir, 'node-cpu-prof.sh');
  writeFileSync(wrapper, `#!/bin/sh\nexec "${paths.runtime}" --cpu-prof --cpu-prof-dir="${dir}" --cpu-prof-interval 200 "$@"\n`);
  chmodSync(wrapper, 0o755);
  const cpuProf = process.env.PROFILE_CPU_PROF !== '0'; // PROFILE_CPU_PROF=0: perf alone (no profiler thread in the worker)
  const side = await startGodot(paths, `profile-${phase}`, godot3, cpuProf ? { GODOT_WEBRTC_NODE: wrapper } : {});
  if (phase === 'idle') {
    await side.call({ t: 'warm' });
    console.log('fleet:', JSON.stringify(await side.call({ t: 'fleet', connections: 256 }, 300_000)));
  } else {
    console.log('open:', JSON.stringify(await side.call({ t: 'open' })));
    if (phase.startsWith('throughput')) await side.call({ t: 'throughput', size: 1024, reliable: true, ms: 300 });
  }
  const worker = childrenOf(side.pid, 'worker.mjs')[0];
  const record = (pid, data) => {
    const child = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '2000', '-g', '-o', data, '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', () => undefined);
    return { child, exited: new Promise((r) => child.on('exit', r)), data };
  };
  const perfs = [record(side.pid, join(dir, 'godot.perf.data'))];
  if (worker) perfs.push(record(worker, join(dir, 'worker.perf.data')));
  await new Promise((r) => setTimeout(r, 500));
  const before = { godot: threads(side.pid), worker: worker ? threads(worker) : {} };
  const t0 = performance.now();
  const result = await PHASES[phase](side);
  const secs = (performance.now() - t0) / 1000;
  const after = { godot: threads(side.pid), worker: worker ? threads(worker) : {} };
  for (const p of perfs) p.child.kill('SIGINT');
  await Promise.all(perfs.map((p) => p.exited));
  const brief = { ...result };
  if (brief.rtts) {
    const s = [...brief.rtts].sort((a, b) => a - b);
    brief.rtts = `${s.length} pings, p50 ${s[Math.floor(s.length / 2)]} µs, p99 ${s[Math.floor(s.length * 0.99)]} µs`;
  }
  if (brief.times) {
    const s = [...brief.times].sort((a, b) => a - b);
    brief.times = `${s.length} setups, p50 ${s[Math.floor(s.length / 2)]?.toFixed(1)} ms, p99 ${s[Math.floor(s.length * 0.99)]?.toFixed(1)} ms`;
  }
  console.log(`phase ${phase}: ${JSON.stringify(brief)}`);
  threadTable('Godot', before.godot, after.godot, secs);
  if (worker) threadTable('worker', before.worker, after.worker, secs);
  await side.quit();
  await new Promise((r) => setTimeout(r, 3000)); // the worker writes its profile as it exits
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (profiles.length) summarizeCpuProfile(join(dir, profiles[0]));
  else console.log('\n(no worker .cpuprofile was written)');
  for (const [who, p] of [['Godot process', perfs[0]], ['worker process', perfs[1]]]) {
    if (!p) continue;
    const report = (sort, limit) =>
      spawnSync('perf', ['report', '-i', p.data, '--stdio', '--no-children', '--sort', sort, '--percent-limit', limit], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout ?? '';
    const rows = (text, n) => text.split('\n').filter((l) => /^\s+\d+\.\d+%/.test(l)).slice(0, n).map((l) => l.replace(/\s+-\s+-\s*$/, '').trimEnd());
    const bySymbol = report('dso,symbol', '0.7');
    writeFileSync(`${p.data}.txt`, bySymbol);
    console.log(`\n${who}, perf cpu-clock over the phase, by library:\n${rows(report('dso', '0.5'), 12).join('\n')}`);
    console.log(`${who}: top symbols (self)\n${rows(bySymbol, 25).join('\n')}`);
  }
}

main().then(
  () => setTimeout(() => process.exit(0), 100),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
