// What a killed test process leaves behind. Processes end by themselves
// (coturn and the namespace peers watch a pipe to the test, Chromium its
// DevTools pipe); names and directories do not, so each carries the pid of
// the process that made it, and the next run removes those whose process is
// gone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh temporary directory `<tmp>/interop-<what>-<pid>-XXXXXX`. */
export function tempDir(what: string): string {
  sweepTempDirs();
  return mkdtempSync(join(tmpdir(), `interop-${what}-${process.pid}-`));
}

function sweepTempDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const match = /^interop-[a-z]+-(\d+)-/.exec(name);
    if (match && !alive(Number(match[1]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

/** Deletes namespaces named `<prefix><pid>-...` whose process is gone. */
export function sweepNamespaces(prefix: string): void {
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = new RegExp(`^${prefix}(\\d+)-`).exec(name);
    if (match && !alive(Number(match[1]))) spawnSync('ip', ['netns', 'del', name]);
  }
}
