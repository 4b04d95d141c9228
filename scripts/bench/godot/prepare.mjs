// What the Godot benchmark runs on, built and put in one place (build/bench/):
//   - the addon, assembled with the optimized shims (scripts/assemble-addon.sh), then copied
//     as hard links into a private project (build/bench/project/) so that another run of
//     assemble-addon.sh (the sanitized test pass) cannot swap the shim under a running
//     benchmark; the project's bench/ scenes are a link to godot-project/bench/;
//   - the C client's driver (client_peer.c), optimized and unsanitized, like bench_client;
//   - Godot 3 (GODOT3, else Debian's godot3-server through scripts/godot3.sh) and Godot 4
//     (GODOT4, when set).
// All three sides run the same worker files and the same Node runtime: the addon's.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostPlatform } from '../../lib/platform.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function run(what, command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${(r.stderr || r.stdout || '').trim().slice(-2000)}`);
  return (r.stdout ?? '').trim();
}

/** Binary equality of two files. */
function same(a, b) {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

export function prepare() {
  const out = join(root, 'build', 'bench');
  const logs = join(out, 'logs');
  mkdirSync(logs, { recursive: true });
  run('assembling the addon', 'bash', ['scripts/assemble-addon.sh', '--quiet']);
  const addon = join(root, 'godot-project', 'addons', 'webrtc_ts');
  const project = join(out, 'project');
  rmSync(project, { recursive: true, force: true });
  mkdirSync(join(project, 'addons'), { recursive: true });
  cpSync(join(root, 'godot-project', 'project.godot'), join(project, 'project.godot'));
  symlinkSync(join(root, 'godot-project', 'bench'), join(project, 'bench'));
  run('copying the addon', 'cp', ['-al', addon, join(project, 'addons', 'webrtc_ts')]);
  const shim = join(project, 'addons', 'webrtc_ts', 'lib', 'libwebrtc_ts.so');
  if (!same(shim, join(root, 'bridge', 'gdnative', 'build', 'libwebrtc_ts.so'))) {
    throw new Error('the addon holds a Godot 3 shim other than the optimized build (another run assembled it meanwhile): run again');
  }
  const gde = join(project, 'addons', 'webrtc_ts', 'lib', 'libwebrtc_ts_gdextension.linux.x86_64.so');
  if (!same(gde, join(root, 'bridge', 'gdextension', 'build', 'release', 'libwebrtc_ts_gdextension.linux.x86_64.so'))) {
    throw new Error('the addon holds a Godot 4 shim other than the optimized build (another run assembled it meanwhile): run again');
  }
  // Godot 4 finds its extension through this list (scripts/run-godot4-tests.sh writes it too).
  mkdirSync(join(project, '.godot'), { recursive: true });
  writeFileSync(join(project, '.godot', 'extension_list.cfg'), 'res://addons/webrtc_ts/webrtc_ts.gdextension\n');

  const clientPeer = join(out, 'client_peer');
  const client = join(root, 'bridge', 'client');
  const ring = join(root, 'bridge', 'ring');
  const sources = spawnSync('sh', ['-c', `ls ${client}/wc_*.c`], { encoding: 'utf8' }).stdout.trim().split('\n');
  run('building the C client driver', process.env.CC ?? 'cc', [
    ...['-std=c11', '-Wall', '-Wextra', '-Werror', '-Wpedantic', '-Wshadow', '-Wstrict-prototypes', '-fvisibility=hidden'],
    ...['-O2', '-g', '-DNDEBUG', '-pthread', `-I${client}`, '-o', clientPeer],
    join(root, 'scripts', 'bench', 'godot', 'client_peer.c'),
    ...sources,
    ...['ring.c', 'region.c', 'shm_fd.c', 'shm_memfd.c'].map((f) => join(ring, f)),
  ]);

  const addonCopy = join(project, 'addons', 'webrtc_ts');
  mkdirSync(join(process.env.XDG_DATA_HOME ?? join(process.env.HOME ?? '/root', '.local', 'share'), 'godot', 'app_userdata', 'godot-webrtc-ts'), {
    recursive: true,
  });
  return {
    root,
    out,
    logs,
    project,
    clientPeer,
    ndcPeer: join(root, 'scripts', 'bench', 'godot', 'ndc-peer.mjs'),
    runtime: join(addonCopy, 'runtime', hostPlatform()[1].folder, 'node'),
    worker: join(addonCopy, 'worker', 'worker.mjs'),
    shm: join(addonCopy, 'worker', hostPlatform()[1].folder, 'shm.node'),
    commit: run('git', 'git', ['rev-parse', '--short', 'HEAD']),
    dirty: run('git', 'git', ['status', '--porcelain', '--untracked-files=no', '--', 'bridge', 'extension/src']) !== '',
  };
}

/** Godot 3 and Godot 4 as the benchmark starts them (null: not available, with why). */
export function godots() {
  const env = { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' }; // Godot 3 rejects the C locale
  let godot3 = process.env.GODOT3 ?? '';
  let why3 = '';
  if (!godot3) {
    const r = spawnSync('bash', [join(root, 'scripts', 'godot3.sh')], { encoding: 'utf8' });
    godot3 = r.status === 0 ? r.stdout.trim() : '';
    why3 = r.stderr.trim();
  }
  const version = (binary, args) => {
    const r = spawnSync(binary, [...args, '--version'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    return (r.stdout ?? '').trim().split('\n').pop() ?? '';
  };
  const g3 = godot3
    ? { binary: godot3, args: ['--no-window'], env, scene: 'res://bench/godot3/bench.gd', version: version(godot3, []) }
    : null;
  const godot4 = process.env.GODOT4 ?? '';
  const g4 = godot4
    ? { binary: godot4, args: ['--headless'], env, scene: 'res://bench/godot4/bench.gd', version: version(godot4, ['--headless']) }
    : null;
  return { godot3: g3, why3: why3 || 'no Godot 3 found', godot4: g4, why4: 'GODOT4 is not set' };
}
