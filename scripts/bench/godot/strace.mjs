// Counts the system calls one thread makes in a window: strace attached to that thread alone
// (-p <tid> without -f), the window marked by the program itself with a look-up of two
// paths that cannot exist (MARK_BEGIN, MARK_END: each shows in the trace as one call naming
// the path). Everything between the two marker lines is counted, by system call name.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export const MARK_BEGIN = '/nonexistent-godot-webrtc-bench/steady-begin';
export const MARK_END = '/nonexistent-godot-webrtc-bench/steady-end';

/** strace's path, installing Debian's package when it is missing; null when it cannot. */
export function findStrace() {
  const which = () => spawnSync('sh', ['-c', 'command -v strace'], { encoding: 'utf8' }).stdout.trim();
  if (which()) return which();
  spawnSync('apt-get', ['install', '-y', '-qq', 'strace'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return which() || null;
}

/** Attach to thread `tid`, run `window()` (which makes the program cross both markers), detach,
 * and count. Returns { total, byName: {name: count}, result } (total -1 when no window was seen). */
export async function countWindow(strace, tid, file, window) {
  rmSync(file, { force: true });
  const child = spawn(strace, ['-o', file, '-p', String(tid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const attached = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`strace did not attach: ${err.trim()}`)), 10_000);
    child.stderr.on('data', (d) => {
      err += d;
      if (/attached/.test(err)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`strace exited: ${err.trim()}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let result;
  try {
    await attached;
    result = await window();
  } finally {
    child.kill('SIGINT'); // detaches; the trace is complete once strace has exited
    await exited;
  }
  return { ...count(readTrace(file)), result };
}

function readTrace(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function count(trace) {
  const byName = {};
  let inside = false;
  let seen = false;
  let total = 0;
  for (const line of trace.split('\n')) {
    if (line.includes(MARK_BEGIN)) {
      inside = true;
      seen = true;
      continue;
    }
    if (line.includes(MARK_END)) break;
    if (!inside) continue;
    const name = /^([a-z_0-9]+)\(/.exec(line)?.[1];
    if (!name) continue; // "<... resumed>", signals, exits
    byName[name] = (byName[name] ?? 0) + 1;
    total++;
  }
  return { total: seen ? total : -1, byName };
}
