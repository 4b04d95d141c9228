// Tests that make network namespaces (ip netns, unshare --net) need root.
// Without it they are reported as skipped, with this reason in their names,
// never as failed or passed.
import { spawnSync } from 'node:child_process';

let cached: string | undefined | null = null;

/** Why this process cannot make network namespaces, or undefined when it can. */
export function namespaceSkipReason(): string | undefined {
  if (cached !== null) return cached;
  const uid = process.getuid?.();
  if (uid !== 0) {
    cached = `needs root to make network namespaces (running as uid ${uid ?? 'unknown'})`;
  } else {
    const probe = spawnSync('unshare', ['--net', 'true'], { encoding: 'utf8' });
    cached = probe.error !== undefined || probe.status !== 0
      ? `cannot make a network namespace even as root (unshare --net: ${probe.error?.message ?? probe.stderr.trim()})`
      : undefined;
  }
  if (cached !== undefined) console.log(`skipped: ${cached}`);
  return cached;
}

/** A test title with the skip reason appended when there is one. */
export function titled(title: string, reason: string | undefined): string {
  return reason === undefined ? title : `${title} (skipped: ${reason})`;
}
