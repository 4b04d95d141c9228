#!/usr/bin/env node
// Checks an assembled addon folder against its two descriptors for one platform: every
// library and dependency that webrtc_ts.gdextension (Godot 4) and webrtc_ts.gdnlib (Godot 3)
// list for it exists; the dependencies are exactly the worker bundle and that platform's
// worker/<folder>/ and runtime/<folder>/ files (an export carries what is listed, nothing
// else, flat beside the executable: so no two may share a file name); and the folder's
// .gdextension is plugin.gdextension. With --only (a release zip's folder): lib/, worker/ and
// runtime/ hold that platform's files and nothing of another's. One line per check, then
// "N passed, N failed".
//
//   node scripts/lib/check-descriptors.mjs <addon folder> <platform name> [--only]
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORMS } from './platform.mjs';

const RES = 'res://addons/webrtc_ts/';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lines of an INI-like file's [section], comments left out. */
function section(text, name) {
  const lines = [];
  let inside = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(';') || line === '') continue;
    if (/^\[.*\]$/.test(line)) {
      inside = line === `[${name}]`;
      continue;
    }
    if (inside) lines.push(line);
  }
  return lines.join('\n');
}

function quoted(text) {
  return [...text.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

/** Godot 4: `key = { "res://a": "", ... }` or `key = "res://a"`. */
function gdextensionValue(text, key) {
  const match = new RegExp(`(?:^|\\n)${key.replace(/\./g, '\\.')}\\s*=\\s*(\\{[^}]*\\}|"[^"]*")`).exec(text);
  return match ? quoted(match[1]).filter((v) => v.startsWith(RES)) : [];
}

/** Godot 3: `Key=[ "res://a", ... ]` or `Key="res://a"`. */
function gdnlibValue(text, key) {
  const match = new RegExp(`(?:^|\\n)${key.replace(/\./g, '\\.')}\\s*=\\s*(\\[[^\\]]*\\]|"[^"]*")`).exec(text);
  return match ? quoted(match[1]) : [];
}

function main() {
  const [addon, name, only] = process.argv.slice(2);
  const platform = PLATFORMS[name];
  if (!addon || !platform) {
    console.error(`usage: check-descriptors.mjs <addon folder> <${Object.keys(PLATFORMS).join('|')}>`);
    process.exit(2);
  }
  let passed = 0;
  let failed = 0;
  const check = (ok, what) => {
    console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
    if (ok) passed++;
    else failed++;
  };
  const local = (res) => join(addon, res.slice(RES.length));
  const missing = (list) => list.filter((res) => !res.startsWith(RES) || !existsSync(local(res)));
  const folder = platform.folder;
  const shipped = [
    `${RES}worker/worker.mjs`,
    ...['worker', 'runtime'].flatMap((top) => {
      const dir = join(addon, top, folder);
      return existsSync(dir) ? readdirSync(dir).map((file) => `${RES}${top}/${folder}/${file}`) : [];
    }),
  ].sort();
  const own = shipped.filter((f) => !f.endsWith('/worker.mjs')).map((f) => f.slice(RES.length));
  check(shipped.length === 4 && existsSync(local(`${RES}worker/worker.mjs`)),
    `${name}: the addon holds worker/worker.mjs and three files of its own (${own.length}: ${own.join(', ')})`);

  const gdextension = readFileSync(join(addon, 'webrtc_ts.gdextension'), 'utf8');
  check(gdextension === readFileSync(join(root, 'plugin.gdextension'), 'utf8'), 'webrtc_ts.gdextension is plugin.gdextension');
  const libraries = section(gdextension, 'libraries');
  for (const build of ['debug', 'release']) {
    const listed = gdextensionValue(libraries, `${folder}.${build}`);
    check(listed.length === 1 && missing(listed).length === 0, `Godot 4 [libraries] ${folder}.${build}: ${listed.join(' ') || 'none'} exists`);
  }
  const dependencies = [...gdextensionValue(section(gdextension, 'dependencies'), folder)].sort();
  check(dependencies.length > 0 && missing(dependencies).length === 0,
    `Godot 4 [dependencies] ${folder}: all ${dependencies.length} listed files exist (missing: ${missing(dependencies).join(' ') || 'none'})`);
  check(JSON.stringify(dependencies) === JSON.stringify(shipped), `Godot 4 [dependencies] ${folder} are exactly the files the worker needs`);
  check(new Set(dependencies.map((f) => basename(f))).size === dependencies.length, `Godot 4 [dependencies] ${folder}: no two share a file name`);

  const gdnlib = readFileSync(join(addon, 'webrtc_ts.gdnlib'), 'utf8');
  // Godot 3.2 loads the first [entry] key whose every tag is one of the engine's features (a
  // 64-bit engine has "64" and its architecture, "x86_64" or "arm64"): for this platform's
  // engine that must be this platform's key, not another's that also matches (X11.64 on arm64).
  const entryKeys = section(gdnlib, 'entry').split('\n').map((line) => line.split('=')[0].trim()).filter(Boolean);
  const archFeature = { x64: 'x86_64', arm64: 'arm64' }[platform.cpu];
  for (const key of platform.godot3) {
    const features = new Set([key.split('.')[0], '64', archFeature]);
    const first = entryKeys.find((candidate) => candidate.split('.').every((tag) => features.has(tag)));
    check(first === key, `Godot 3 [entry]: an engine with features ${[...features].join(', ')} takes ${key} (takes ${first ?? 'none'})`);
  }
  for (const key of platform.godot3) {
    const entry = gdnlibValue(section(gdnlib, 'entry'), key);
    check(entry.length === 1 && missing(entry).length === 0, `Godot 3 [entry] ${key}: ${entry.join(' ') || 'none'} exists`);
    const listed = [...gdnlibValue(section(gdnlib, 'dependencies'), key)].sort();
    check(listed.length > 0 && missing(listed).length === 0,
      `Godot 3 [dependencies] ${key}: all ${listed.length} listed files exist (missing: ${missing(listed).join(' ') || 'none'})`);
    check(JSON.stringify(listed) === JSON.stringify(shipped), `Godot 3 [dependencies] ${key} are exactly the files the worker needs`);
  }
  if (only === '--only') {
    const shims = Object.values(platform.shims).sort();
    const libs = readdirSync(join(addon, 'lib')).sort();
    check(JSON.stringify(libs) === JSON.stringify(shims), `lib/ holds exactly ${shims.join(', ')} (${libs.join(', ')})`);
    for (const top of ['worker', 'runtime']) {
      const entries = readdirSync(join(addon, top)).filter((entry) => entry !== 'worker.mjs');
      check(entries.length === 1 && entries[0] === folder, `${top}/ holds only ${folder}/ (${entries.join(', ')})`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
