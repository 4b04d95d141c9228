// The node-datachannel-alone side of scripts/bench/godot.mjs: node-datachannel used directly,
// both peers in this one Node process (as scripts/bench/core-vs-ndc.ts and
// scripts/bench-bridge.mjs measure it), driven by one JSON object a line on stdin; one JSON
// line answers each. The same commands as the C client's (client_peer.c) and the Godot
// scene's (godot-project/bench/godot3/bench.gd), with node-datachannel's own callbacks
// where those poll:
//   open, throughput {size, reliable, ms}, rtt {count}, calls {batches}, setup {pairs, repeat},
//   warm, fleet {connections}, idle {ms}, steady {messages, perFrame, frameUs},
//   remote {role} (+ signal lines), ping {count}, echo {count, ms}, quit.
// Every configuration pins ICE to loopback; every wait is bounded.
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import ndc from 'node-datachannel';

const WINDOW = 1 << 20; // bytes in flight, as in core-vs-ndc.ts
const STALL_MS = 200; // an unreliable window with nothing arriving this long is lost
const CONFIG = { iceServers: [], bindAddress: '127.0.0.1' }; // {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}
const UNRELIABLE = { ordered: false, maxRetransmits: 0 };
const MARK_BEGIN = '/nonexistent-godot-webrtc-bench/steady-begin';
const MARK_END = '/nonexistent-godot-webrtc-bench/steady-end';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const nowUs = () => Number(process.hrtime.bigint()) / 1000;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
const reply = (result) => process.stdout.write(`${JSON.stringify({ t: 'reply', ...result })}\n`);
const emit = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

let serial = 0;
const OFFER_GATE_MS = 300; // OFFER_CANDIDATE_GATE_MS in extension/src/core/core-peer.ts

/** The offerer's candidate gate: candidates wait until p_pc's ICE connects (or 300 ms). */
function offerGate(pc, deliver) {
  let open = false;
  const gated = [];
  const release = () => {
    if (open) return;
    open = true;
    clearTimeout(timer);
    for (const [c, mid] of gated.splice(0)) deliver(c, mid);
  };
  const timer = setTimeout(release, OFFER_GATE_MS);
  pc.onIceStateChange((state) => (state === 'connected' || state === 'completed') && release());
  return (c, mid) => (open ? deliver(c, mid) : gated.push([c, mid]));
}

/** Two peers here, signalled by direct calls; channels by label on both ends, with their
 * message handlers swappable. Resolves once every channel is open on both ends. */
function openPair(labels) {
  const a = new ndc.PeerConnection(`a${serial}`, CONFIG);
  const b = new ndc.PeerConnection(`b${serial++}`, CONFIG);
  // node-datachannel delivers each callback kind on its own queue, so a candidate can
  // overtake the description it belongs to: hold it until then. The offerer (a) also holds
  // its own candidates until its ICE connects or OFFER_GATE_MS pass, as the core does
  // (extension/src/core/core-peer.ts: without it libdatachannel's DTLS race makes most
  // loopback setups take 1 s, and this baseline would measure that race).
  const signal = (from, to, gated) => {
    let described = false;
    const held = [];
    const add = (c, mid) => (described ? to.addRemoteCandidate(c, mid) : held.push([c, mid]));
    const gate = gated ? offerGate(from, add) : add;
    from.onLocalDescription((sdp, type) => {
      to.setRemoteDescription(sdp, type);
      described = true;
      for (const [c, mid] of held.splice(0)) to.addRemoteCandidate(c, mid);
    });
    from.onLocalCandidate((c, mid) => gate(c, mid));
  };
  signal(a, b, true);
  signal(b, a, false);
  const pair = { a, b, ends: {}, close: () => (a.close(), b.close()) };
  let waiting = labels.length * 2;
  const opened = new Promise((resolve) => {
    const one = () => --waiting === 0 && resolve(pair);
    const wire = (label, side, ch) => {
      const end = { ch, onMessage: () => undefined };
      pair.ends[`${label}_${side}`] = end;
      ch.onMessage((m) => end.onMessage(m));
      if (ch.isOpen()) one();
      else ch.onOpen(one);
    };
    b.onDataChannel((ch) => wire(ch.getLabel(), 'b', ch));
    for (const [label, options] of labels) wire(label, 'a', a.createDataChannel(label, options));
  });
  return { pair, opened };
}

let bench;

const commands = {
  async open() {
    const t0 = nowUs();
    const { opened } = openPair([['rel', {}], ['unrel', UNRELIABLE]]);
    bench = await withTimeout(opened, 20_000, 'the bench pair did not open');
    return { pid: process.pid, worker: 0, ms: (nowUs() - t0) / 1000 };
  },

  async throughput({ size, reliable, ms }) {
    const tx = bench.ends[reliable ? 'rel_a' : 'unrel_a'];
    const rx = bench.ends[reliable ? 'rel_b' : 'unrel_b'];
    const payload = Buffer.alloc(size, 7);
    let sent = 0;
    let got = 0;
    let messages = 0;
    let lost = 0;
    let running = true;
    let last = performance.now();
    const pump = () => {
      while (running && sent - got < WINDOW) {
        tx.ch.sendMessageBinary(payload);
        sent += size;
      }
    };
    rx.onMessage = (m) => {
      got += m.byteLength;
      messages++;
      last = performance.now();
      if (sent - got <= (WINDOW * 3) / 4) pump();
    };
    const stall = setInterval(() => {
      if (!reliable && sent > got && performance.now() - last > STALL_MS) {
        lost += sent - got;
        sent = got;
        last = performance.now();
        pump();
      }
    }, 10);
    const t0 = performance.now();
    pump();
    await sleep(ms);
    running = false;
    const seconds = (performance.now() - t0) / 1000;
    const result = { messages, bytes: got, seconds, lost: Math.round(lost / size) };
    clearInterval(stall);
    await settle(() => got);
    rx.onMessage = () => undefined;
    return result;
  },

  rtt({ count }) {
    const a = bench.ends.rel_a;
    const b = bench.ends.rel_b;
    return pingPong(count, a.ch, (fn) => (a.onMessage = fn), () => (b.onMessage = (m) => b.ch.sendMessageBinary(m)));
  },

  async calls({ batches }) {
    const put = async (size, n) => {
      const payload = Buffer.alloc(size, 7);
      const per = [];
      let got = 0;
      bench.ends.rel_b.onMessage = () => got++;
      for (let batch = 0; batch < batches; batch++) {
        got = 0;
        const t0 = nowUs();
        for (let i = 0; i < n; i++) bench.ends.rel_a.ch.sendMessageBinary(payload);
        per.push((nowUs() - t0) / n);
        const deadline = Date.now() + 5000;
        while (got < n && Date.now() < deadline) await sleep(1);
      }
      return median(per);
    };
    return { put64: await put(64, 1000), put1k: await put(1024, 1000), put16k: await put(16384, 200), get: null };
  },

  async setup({ pairs, repeat }) {
    const times = [];
    let failed = 0;
    for (let r = 0; r < repeat; r++) {
      const t0 = nowUs();
      const started = [];
      const opened = [];
      for (let i = 0; i < pairs; i++) {
        const one = openPair([['rel', {}]]);
        started.push(one.pair);
        opened.push(one.opened.then(() => (nowUs() - t0) / 1000));
      }
      const batch = await withTimeout(Promise.all(opened), 30_000, 'setup timed out').catch(() => null);
      if (batch === null) failed += pairs;
      else times.push(...batch);
      for (const p of started) p.close();
      await sleep(50);
    }
    return { times, failed };
  },

  warm() {
    return { pid: process.pid, worker: 0 };
  },

  async fleet({ connections }) {
    const t0 = nowUs();
    fleet = [];
    for (let at = 0; at < connections / 2; at += 32) {
      const batch = [];
      for (let i = at; i < Math.min(connections / 2, at + 32); i++) {
        const { pair, opened } = openPair([['rel', {}]]);
        fleet.push(pair);
        batch.push(opened);
      }
      await withTimeout(Promise.all(batch), 60_000, 'the fleet did not open');
    }
    return { opened: fleet.length * 2, ms: (nowUs() - t0) / 1000, poll: null };
  },

  async idle({ ms }) {
    await sleep(ms); // node-datachannel needs no poll(): its callbacks come by themselves
    return { frames: 0 };
  },

  async steady({ messages, perFrame, frameUs }) {
    const tx = bench.ends.rel_a.ch;
    const payload = Buffer.alloc(64, 5);
    let received = 0;
    bench.ends.rel_b.onMessage = () => received++;
    for (let f = 0; f < 30; f++) {
      for (let i = 0; i < perFrame; i++) tx.sendMessageBinary(payload);
      await sleep(frameUs / 1000);
    }
    await sleep(100);
    received = 0;
    let sent = 0;
    let frames = 0;
    const deadline = Date.now() + 20_000;
    existsSync(MARK_BEGIN);
    while ((sent < messages || received < messages) && Date.now() < deadline) {
      for (let i = 0; i < perFrame && sent < messages; i++, sent++) tx.sendMessageBinary(payload);
      frames++;
      await sleep(frameUs / 1000);
    }
    existsSync(MARK_END);
    return { sent, received, frames };
  },

  async remote({ role }) {
    const pc = new ndc.PeerConnection(`remote-${role}`, CONFIG);
    remote = { pc, ch: undefined, described: false, held: [], onMessage: () => undefined };
    pc.onLocalDescription((sdp, type) => emit({ t: 'signal', kind: 'desc', type, sdp }));
    const send = (name, mid) => emit({ t: 'signal', kind: 'cand', mid, index: 0, name });
    const gate = role === 'offer' ? offerGate(pc, send) : send;
    pc.onLocalCandidate((name, mid) => gate(name, mid));
    const open = new Promise((resolve) => {
      const wire = (ch) => {
        remote.ch = ch;
        ch.onMessage((m) => remote.onMessage(m));
        if (ch.isOpen()) resolve();
        else ch.onOpen(resolve);
      };
      if (role === 'offer') wire(pc.createDataChannel('rel', {}));
      else pc.onDataChannel(wire);
    });
    for (const message of early.splice(0)) applySignal(message); // now that every handler is set
    await withTimeout(open, 30_000, 'the remote channel did not open');
    return { open: true };
  },

  ping({ count }) {
    return pingPong(count, remote.ch, (fn) => (remote.onMessage = fn), () => undefined);
  },

  async echo({ count, ms }) {
    let echoed = 0;
    let done;
    const finished = new Promise((resolve) => (done = resolve));
    remote.onMessage = (m) => {
      remote.ch.sendMessageBinary(m);
      if (++echoed >= count) done();
    };
    await Promise.race([finished, sleep(ms)]);
    return { echoed };
  },
};

let fleet = [];
let remote;

/** A signal line from the other process (during `remote`; one that overtakes the `remote`
 * command, which waits its turn in the queue, is held until the peer exists). */
const early = [];
function applySignal(message) {
  if (!remote) return void early.push(message);
  if (message.kind === 'desc') {
    remote.pc.setRemoteDescription(message.sdp, message.type);
    remote.described = true;
    for (const [name, mid] of remote.held.splice(0)) remote.pc.addRemoteCandidate(name, mid);
  } else if (remote.described) remote.pc.addRemoteCandidate(message.name, message.mid);
  else remote.held.push([message.name, message.mid]);
}

function pingPong(count, tx, onReply, arm) {
  arm();
  const payload = Buffer.alloc(64, 1);
  const rtts = [];
  let lost = 0;
  return new Promise((resolve) => {
    let t0 = 0;
    let timer;
    const next = () => {
      if (rtts.length + lost >= count) {
        onReply(() => undefined);
        return resolve({ rtts, lost });
      }
      t0 = nowUs();
      timer = setTimeout(() => (lost++, next()), 1000);
      tx.sendMessageBinary(payload);
    };
    onReply(() => {
      clearTimeout(timer);
      rtts.push(nowUs() - t0);
      next();
    });
    next();
  });
}

async function settle(progress) {
  const deadline = Date.now() + 5000;
  let before = -1;
  while (Date.now() < deadline && progress() !== before) {
    before = progress();
    await sleep(100);
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

// Commands run one at a time, in order; signal lines apply at once.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.t === 'signal') return applySignal(message);
  if (message.t === 'quit') {
    queue = queue.then(() => {
      for (const p of fleet) p.close();
      bench?.close();
      remote?.pc.close();
      setTimeout(() => process.exit(0), 100);
    });
    return;
  }
  queue = queue.then(async () => {
    const run = commands[message.t];
    try {
      reply(run ? await run(message) : { error: `unknown command ${message.t}` });
    } catch (error) {
      reply({ error: String(error?.message ?? error) });
    }
  });
});
lines.on('close', () => void queue.then(() => setTimeout(() => process.exit(0), 100)));
