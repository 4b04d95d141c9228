#!/usr/bin/env node
// The multiplayer demo, headless: the signalling server (signaling/) on 127.0.0.1 and a free
// port, then one Godot process that hosts a lobby and others that join it, each a scripted
// player (the demo's --bot). Every line a player prints is shown as "<name>| <line>"; the
// players quit by themselves once each has seen every other join, move and chat and has
// measured each link (godot-project/demo/<dialect>/bot.gd). Exits 0 when every player exited
// 0 within the time limit, 1 otherwise (with the reason on the last line).
//
//   node scripts/run-demo.mjs [--engine godot3|godot4] [--players N] [--time-limit S]
//                             [--screenshot PATH]
//
// --screenshot: the host runs with a window under xvfb-run (Godot 3: GODOT3_WINDOWED, default
// Debian's godot3; Godot 4: GODOT4 without --headless) and saves it as a PNG once every
// player, chat line and link's stats are on screen (scripts/screenshot-demo.sh).
// Environment: GODOT3 (default godot3-server) or GODOT4 (required for --engine godot4);
// DEMO_GODOT_PROJECT, the project to run (default godot-project/, with the addon assembled:
// scripts/assemble-addon.sh).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'godot3' },
    players: { type: 'string', default: '3' },
    'time-limit': { type: 'string', default: '45' },
    screenshot: { type: 'string' },
  },
});
const engine = values.engine;
const playerCount = Number(values.players);
const timeLimitS = Number(values['time-limit']);
if ((engine !== 'godot3' && engine !== 'godot4') || !(playerCount >= 2) || !(timeLimitS > 0)) {
  console.error('usage: node scripts/run-demo.mjs [--engine godot3|godot4] [--players N>=2] [--time-limit S] [--screenshot PATH]');
  process.exit(2);
}
const project = process.env.DEMO_GODOT_PROJECT ?? join(root, 'godot-project');
const binary = engine === 'godot3' ? process.env.GODOT3 || 'godot3-server' : process.env.GODOT4;
if (!binary) {
  console.error('demo: GODOT4 does not name a Godot 4 binary');
  process.exit(1);
}
// Godot 4 loads only the extensions listed here (the project is never imported).
if (engine === 'godot4') {
  mkdirSync(join(project, '.godot'), { recursive: true });
  writeFileSync(join(project, '.godot', 'extension_list.cfg'), 'res://addons/webrtc_ts/webrtc_ts.gdextension\n');
}
const scene = `res://demo/${engine}/demo.tscn`;
const engineArgs = [engine === 'godot3' ? '--no-window' : '--headless', '--path', project, scene];
// The host with a window: a virtual X display of its own (xvfb-run), the engine's default
// window size.
const screenshot = values.screenshot ? resolvePath(values.screenshot) : '';
const windowed = engine === 'godot3' ? process.env.GODOT3_WINDOWED || 'godot3' : binary;
const hostCommand = screenshot
  ? ['xvfb-run', ['-a', '-s', '-screen 0 1280x720x24', windowed, '--audio-driver', 'Dummy', '--path', project, scene, '--', `--screenshot=${screenshot}`]]
  : [binary, engineArgs];
const NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const children = [];
const started = Date.now();

/** Runs a child, printing each of its lines as "<name>| <line>"; resolves with its lines. */
function run(name, command, args, onLine = () => {}) {
  const child = spawn(command, args, {
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let partial = '';
  const take = (chunk) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts.map((l) => l.replace(/\r$/, ''))) {
      if (line.trim() === '') continue;
      lines.push(line);
      console.log(`${name}| ${line}`);
      onLine(line);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exited = new Promise((resolve) => {
    child.on('error', (error) => resolve(`could not start ${command}: ${error.message}`));
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  const entry = { name, child, lines, exited };
  children.push(entry);
  return entry;
}

function finish(code, why) {
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  console.log(code === 0 ? `demo: ${why}` : `demo: FAILED: ${why}`);
  process.exit(code);
}

setTimeout(() => {
  const silent = children.filter((c) => c.child.exitCode === null && c.name !== 'server').map((c) => c.name);
  finish(1, `not over after ${timeLimitS} s (still running: ${silent.join(', ')})`);
}, timeLimitS * 1000).unref();

if (screenshot) rmSync(screenshot, { force: true });

// 1. The signalling server, as users start it (`npm run signaling`), on a free loopback port.
let url = '';
url = await new Promise((resolve) => {
  run('server', process.execPath, [join(root, 'signaling', 'start.mjs'), '--host', '127.0.0.1', '--port', '0'], (line) => {
    const match = /listening on (ws:\/\/\S+)/.exec(line);
    if (match) resolve(match[1]);
  }).exited.then((code) => finish(1, `the signalling server exited (${code})${url ? '' : ' before listening'}`));
});

// 2. The host creates a lobby; 3. the others join it by name.
const bot = ['--bot', `--players=${playerCount}`, `--quit-after=${Math.max(5, timeLimitS - 5)}`, `--server=${url}`];
const players = [];
let lobby = '';
lobby = await new Promise((resolve) => {
  const [command, args] = hostCommand;
  const host = run(NAMES[0], command, [...args, ...(screenshot ? [] : ['--']), '--host', `--name=${NAMES[0]}`, ...bot], (line) => {
    const match = /^lobby (\S+)$/.exec(line);
    if (match) resolve(match[1]);
  });
  players.push(host);
  host.exited.then((code) => lobby || finish(1, `${NAMES[0]} exited (${code}) before creating a lobby`));
});
for (let i = 1; i < playerCount; i++) {
  const name = NAMES[i] ?? `player${i + 1}`;
  players.push(run(name, binary, [...engineArgs, '--', `--join=${lobby}`, `--name=${name}`, ...bot]));
}

// Every player must exit 0; a scene error is a failure even when the engine exits 0.
const codes = await Promise.all(players.map((p) => p.exited));
const broken = players.filter((p, i) => codes[i] !== 0 || p.lines.some((l) => /SCRIPT ERROR|Parse Error|^FAILED/.test(l)));
if (broken.length > 0) finish(1, broken.map((p) => `${p.name} exited ${codes[players.indexOf(p)]}`).join(', '));
// What each player saw of the others, together at the end.
console.log('demo: what each player saw of the others');
for (const p of players) {
  for (const line of p.lines) if (line.startsWith('saw ')) console.log(`  ${p.name} ${line}`);
}
if (screenshot && !existsSync(screenshot)) finish(1, `${NAMES[0]} saved no screenshot at ${screenshot}`);
finish(0, `${playerCount} players met in lobby ${lobby}, saw each other and exited 0 in ${((Date.now() - started) / 1000).toFixed(1)} s`);
