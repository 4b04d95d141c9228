// The Godot benchmark's output: a markdown table per Godot with the three sides side by
// side, the ratios, each goal of issue 10 and whether it is met; then the machine, the
// system calls by name, and what GDScript itself costs in the measured loops.
import { spawnSync } from 'node:child_process';

const SLEEPS = new Set(['nanosleep', 'clock_nanosleep', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2']);
const NAMES = { ndc: 'node-datachannel alone', client: 'C client' };

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => (xs.length === 0 ? NaN : sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]);
const median = (xs) => pct(xs, 50);
const num = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '—' : Number(x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (a, b) => (a === null || b === null || a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
const met = (ok) => (ok === null ? '' : ok ? 'met' : '**not met**');

/** One row: values per side (numbers or null), formatted with `format`, ratios Godot ÷ each. */
function row(out, label, values, format, goal = '', ok = null) {
  const cell = (k) => (values[k] === null || values[k] === undefined ? '—' : format(values[k], k));
  out.push(`| ${label} | ${cell('ndc')} | ${cell('client')} | ${cell('godot')} | ${ratio(values.godot, values.ndc)} | ${ratio(values.godot, values.client)} | ${goal} | ${met(ok)} |`);
}

function throughputRows(out, r, goals) {
  for (const [size, name] of [[16384, '16 KiB'], [1024, '1 KiB'], [64, '64 B']]) {
    for (const reliable of [true, false]) {
      const runs = r.throughput[`${size}/${reliable}`];
      if (!runs) continue;
      const mb = {};
      const msgs = {};
      const loss = {};
      const spread = {};
      for (const k of ['ndc', 'client', 'godot']) {
        const xs = runs[k] ?? [];
        if (xs.length === 0) {
          mb[k] = null;
          continue;
        }
        const rates = xs.map((t) => t.bytes / t.seconds / 1e6);
        mb[k] = median(rates);
        spread[k] = `${num(Math.min(...rates), 1)}–${num(Math.max(...rates), 1)}`;
        msgs[k] = median(xs.map((t) => t.messages / t.seconds));
        const sent = xs.reduce((s, t) => s + t.messages + t.lost, 0);
        loss[k] = sent > 0 ? (100 * xs.reduce((s, t) => s + t.lost, 0)) / sent : 0;
      }
      const ok = mb.godot !== null && mb.ndc !== null ? mb.godot / mb.ndc >= 0.95 : null;
      goals.push([`throughput ${name} ${reliable ? 'reliable' : 'unreliable'} ≥ 0.95× node-datachannel`, ratio(mb.godot, mb.ndc), ok]);
      const format = (v, k) => `${num(v, 1)} MB/s (${spread[k]}), ${num(msgs[k], 0)} msg/s${reliable ? '' : `, ${num(loss[k], 1)} % lost`}`;
      row(out, `throughput ${name} ${reliable ? 'reliable' : 'unreliable'}`, mb, format, '≥ 0.95× ndc', ok);
    }
  }
}

/** CPU time of all a side's processes per message received (the window and its settling):
 * on a shared 2-core machine this moves less with the load than throughput does. */
function cpuRows(out, r) {
  for (const [size, name] of [[16384, '16 KiB'], [1024, '1 KiB'], [64, '64 B']]) {
    const runs = r.throughput[`${size}/true`];
    if (!runs) continue;
    const per = {};
    for (const k of ['ndc', 'client', 'godot']) {
      const xs = (runs[k] ?? []).filter((t) => t.cpuSeconds !== undefined && t.messages > 0);
      per[k] = xs.length ? median(xs.map((t) => (t.cpuSeconds * 1e6) / t.messages)) : null;
    }
    row(out, `CPU a message, ${name} reliable (µs, program + worker)`, per, (v) => num(v, 1));
  }
}

function rttRows(out, r, goals) {
  for (const [key, where] of [['one', 'both peers in one process'], ['two', 'one peer a process']]) {
    const p = (q) => Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, r.rtt[key][k].length ? pct(r.rtt[key][k], q) : null]));
    const p50 = p(50);
    const p99 = p(99);
    const ok50 = p50.godot !== null && p50.ndc !== null ? p50.godot <= p50.ndc + 20 : null;
    const ok99 = p99.godot !== null && p99.ndc !== null ? p99.godot <= 1.2 * p99.ndc : null;
    goals.push([`RTT 64 B p50 (${where}) ≤ node-datachannel + 20 µs`, `${num(p50.godot, 0)} µs vs ${num(p50.ndc, 0)} µs`, ok50]);
    goals.push([`RTT 64 B p99 (${where}) ≤ 1.2× node-datachannel`, ratio(p99.godot, p99.ndc), ok99]);
    const n = r.rtt[key].godot.length;
    row(out, `RTT 64 B p50, ${where} (µs; ${n} pings)`, p50, (v) => num(v, 0), '≤ ndc + 20 µs', ok50);
    row(out, `RTT 64 B p99, ${where} (µs)`, p99, (v) => num(v, 0), '≤ 1.2× ndc', ok99);
  }
}

function callRows(out, r, goals) {
  const c = r.calls;
  const pick = (field) => Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, c[k]?.[field] ?? null]));
  const us = (v) => num(v, 3);
  row(out, 'put_packet 64 B (µs a call, main thread)', pick('put64'), us);
  const put1k = pick('put1k');
  const ok = put1k.godot !== null ? put1k.godot <= 0.5 : null;
  goals.push(['put_packet 1 KiB ≤ 0.5 µs on the main thread', `${us(put1k.godot)} µs`, ok]);
  row(out, 'put_packet 1 KiB (µs a call)', put1k, us, '≤ 0.5 µs', ok);
  row(out, 'put_packet 16 KiB (µs a call)', pick('put16k'), us);
  row(out, 'get_packet 64 B (µs a call)', pick('get'), us);
  const poll = (n) => Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, r.fleet[k]?.poll?.[n] ?? null]));
  row(out, 'poll() of 1 idle connection (µs a frame)', poll('1'), us);
  row(out, 'poll() of 32 idle connections (µs a frame)', poll('32'), us);
  const p256 = poll('256');
  const ok256 = p256.godot !== null ? p256.godot <= 50 : null;
  goals.push(['poll() of 256 idle connections ≤ 50 µs a frame', `${us(p256.godot)} µs`, ok256]);
  row(out, 'poll() of 256 idle connections (µs a frame)', p256, us, '≤ 50 µs', ok256);
}

function setupRows(out, r, goals) {
  const p = (key, q) => Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, r.setup[key][k].length ? pct(r.setup[key][k], q) : null]));
  const ms = (v) => num(v, 1);
  const one50 = p('one', 50);
  const ok1 = one50.godot !== null ? one50.godot <= 10 : null;
  goals.push(['setup p50, one pair ≤ 10 ms', `${ms(one50.godot)} ms`, ok1]);
  row(out, `setup p50, one pair (ms; ${r.setup.one.godot.length} setups)`, one50, ms, '≤ 10 ms', ok1);
  row(out, 'setup p99, one pair (ms)', p('one', 99), ms);
  row(out, `setup p50, 32 pairs at once (ms; ${r.setup.many.godot.length} setups)`, p('many', 50), ms);
  const many99 = p('many', 99);
  const ok32 = many99.godot !== null ? many99.godot <= 150 : null;
  goals.push(['setup p99, 32 pairs at once ≤ 150 ms', `${ms(many99.godot)} ms`, ok32]);
  row(out, 'setup p99, 32 pairs at once (ms)', many99, ms, '≤ 150 ms', ok32);
}

function fleetRows(out, r, goals, connections) {
  const f = r.fleet;
  const pick = (fn) => Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, f[k] ? fn(f[k]) : null]));
  const kib = (v) => num(v, 1);
  row(out, `memory a connection, the program (KiB VmRSS; ${connections} connections)`, pick((x) => x.perConnection.app), kib);
  row(out, 'memory a connection, its worker (KiB VmRSS)', pick((x) => (x.hasWorker ? x.perConnection.worker : null)), kib);
  row(out, 'memory a connection, in all (KiB)', pick((x) => x.perConnection.app + x.perConnection.worker), kib);
  const cpu = (v) => `${num(v, 2)} %`;
  row(out, `idle CPU with ${connections} connections, the program (% of a core)`, pick((x) => x.cpu.app), cpu);
  row(out, 'idle CPU, its worker (% of a core)', pick((x) => (x.hasWorker ? x.cpu.worker : null)), cpu);
  const total = pick((x) => x.cpu.app + x.cpu.worker);
  const ok = total.godot !== null ? total.godot < 2 : null;
  goals.push([`idle CPU with ${connections} connections (Godot and worker) < 2 % of a core`, cpu(total.godot), ok]);
  row(out, 'idle CPU, in all (% of a core)', total, cpu, '< 2 %', ok);
}

function syscallRows(out, r, goals) {
  const s = r.syscalls;
  const all = Object.fromEntries(['ndc', 'client', 'godot'].map((k) => [k, s[k]?.total >= 0 ? s[k].total : null]));
  const rest = Object.fromEntries(
    ['ndc', 'client', 'godot'].map((k) => [k, s[k]?.total >= 0 ? Object.entries(s[k].byName).reduce((n, [name, c]) => n + (SLEEPS.has(name) ? 0 : c), 0) : null]),
  );
  row(out, 'main-thread system calls over 10,000 messages, all', all, (v) => num(v, 0));
  const ok = rest.godot !== null ? rest.godot === 0 : null;
  goals.push(['main-thread system calls in steady state (less the frame sleep) = 0', num(rest.godot, 0), ok]);
  row(out, '… less the frame\'s own sleep (nanosleep; epoll_wait in Node)', rest, (v) => num(v, 0), '0', ok);
}

function details(out, run, settings) {
  const r = run.results;
  const s = r.syscalls;
  out.push('');
  out.push('System calls of the main thread in the 10,000-message window, by name (strace -p <main thread>):');
  out.push('');
  for (const k of ['ndc', 'client', 'godot']) {
    const who = k === 'godot' ? run.label : NAMES[k];
    if (!s[k] || s[k].error) {
      out.push(`- ${who}: ${s[k]?.error ?? 'not measured'}`);
      continue;
    }
    const names = Object.entries(s[k].byName).sort((a, b) => b[1] - a[1]);
    const res = s[k].result ?? {};
    out.push(`- ${who}: ${names.map(([n, c]) => `${n} ${c}`).join(', ') || 'none'} (${res.frames ?? '?'} frames, ${res.sent ?? '?'} sent, ${res.received ?? '?'} received)`);
  }
  const c = r.calls.godot;
  if (c) {
    out.push('');
    out.push(
      `GDScript's own share of the call costs: an empty loop iteration ${num(c.loop, 3)} µs, a native method call ` +
        `(Object.get_instance_id) ${num(c.native, 3)} µs; the poll() loop over ${settings.CONNECTIONS} connections calling ` +
        `get_instance_id instead: ${num(r.fleet.godot?.poll?.[`native${settings.CONNECTIONS}`], 1)} µs.`,
    );
  }
  const f = r.fleet;
  const mem = (k) => (f[k] ? `${k === 'godot' ? run.label : NAMES[k]} ${num(f[k].before.app / 1024, 1)} → ${num(f[k].after.app / 1024, 1)} MiB` + (f[k].hasWorker ? `, worker ${num(f[k].before.worker / 1024, 1)} → ${num(f[k].after.worker / 1024, 1)} MiB` : '') + ` (${f[k].opened} opened in ${num(f[k].ms / 1000, 1)} s)` : null);
  const mems = ['ndc', 'client', 'godot'].map(mem).filter(Boolean);
  if (mems.length) out.push('', `VmRSS before and after ${settings.CONNECTIONS} connections: ${mems.join('; ')}.`);
  const lost = ['one', 'two'].map((key) => ['ndc', 'client', 'godot'].map((k) => r.rtt[`${key}Lost`][k]).reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0);
  const failed = ['ndc', 'client', 'godot'].map((k) => r.setup.failed[k]).reduce((a, b) => a + b, 0);
  if (lost || failed) out.push('', `Pings lost (1 s without an answer): ${lost}; setups that did not open within 30 s: ${failed}.`);
  if (r.errors.length) {
    out.push('', 'Errors:');
    for (const e of r.errors) out.push(`- ${e}`);
  }
}

export function printTables({ paths, before, after, runs, settings }) {
  const out = [];
  const runtime = spawnSync(paths.runtime, ['--version'], { encoding: 'utf8' }).stdout.trim();
  out.push(`Godot through the addon against node-datachannel alone and the C client without Godot; ${new Date().toISOString()}, commit ${paths.commit}${paths.dirty ? ' (bridge/ or extension/src have uncommitted changes)' : ''}.`);
  out.push('');
  out.push('| machine | |');
  out.push('|---|---|');
  out.push(`| CPU | ${before.cores} × ${before.model} |`);
  out.push(`| kernel | ${before.kernel} |`);
  out.push(`| load average (1, 5, 15 min) | ${before.load} at the start, ${after.load} at the end |`);
  for (const run of runs) out.push(`| ${run.label} | ${run.skipped ? `skipped: ${run.skipped}` : `${run.godot.version} (${run.godot.binary}), measured in ${num(run.seconds, 0)} s`} |`);
  out.push(`| Node.js of the worker and of node-datachannel alone | ${runtime} (the addon's runtime) |`);
  out.push('');
  out.push('The machine is shared with other work (see the load): absolute numbers are noisy; the ratios, measured in one run with the sides alternating, are what count.');
  out.push(
    `Throughput: median (and range) of ${settings.ROUNDS} windows of ${settings.MS} ms, at most 1 MiB in flight (sent − received); unreliable is ` +
      `{"ordered": false, "maxRetransmits": 0}. RTT: ${settings.PINGS} pings a round, ${settings.ROUNDS} rounds, pooled; Godot and the C client spin on ` +
      `get_available_packet_count(), node-datachannel answers from its callbacks. Calls: median of 10 batches (1,000 calls; 200 at 16 KiB), ` +
      `clock read around each batch (OS.get_ticks_usec in Godot). Setup: from new() to both ends of an in-band channel open, polling every 200 µs. ` +
      `Idle: ${settings.CONNECTIONS} connections (${settings.CONNECTIONS / 2} pairs in one process) polled at 60 Hz for ${settings.IDLE_MS / 1000} s. ` +
      `System calls: ${settings.STEADY.messages.toLocaleString('en-US')} 64-byte messages, ${settings.STEADY.perFrame} a 60 Hz frame, after 30 frames of the same.`,
  );
  out.push(
    "node-datachannel's put_packet column is sendMessageBinary(), which sends on the caller's thread (one sendto a message); it has no get_packet " +
      'or poll() (its callbacks deliver). CPU a message counts every process of the side (the window and its settling, idle waits included). ' +
      'With one peer a process, two spinning Godots (or C clients) and two workers share the 2 cores.',
  );
  for (const run of runs) {
    out.push('');
    out.push(`### ${run.label}`);
    out.push('');
    if (run.skipped) {
      out.push(`Skipped: ${run.skipped}.`);
      continue;
    }
    const r = run.results;
    const goals = [];
    out.push(`| measure | node-datachannel alone | C client | ${run.label} | ${run.label} ÷ ndc | ${run.label} ÷ C client | goal | |`);
    out.push('|---|---|---|---|---|---|---|---|');
    throughputRows(out, r, goals);
    cpuRows(out, r);
    rttRows(out, r, goals);
    callRows(out, r, goals);
    setupRows(out, r, goals);
    fleetRows(out, r, goals, settings.CONNECTIONS);
    syscallRows(out, r, goals);
    out.push('');
    out.push(`Goals (${run.label}): ${goals.filter((g) => g[2] === true).length} met, ${goals.filter((g) => g[2] === false).length} not met, ${goals.filter((g) => g[2] === null).length} not measured.`);
    out.push('');
    out.push('| goal | measured | |');
    out.push('|---|---|---|');
    for (const [goal, value, ok] of goals) out.push(`| ${goal} | ${value} | ${ok === null ? 'not measured' : met(ok)} |`);
    details(out, run, settings);
  }
  console.log(out.join('\n'));
}
