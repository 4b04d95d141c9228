import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the scripts, without types
import { PLATFORMS } from '../../scripts/lib/platform.mjs';
import { nativeCandidates, platformFolder } from './platform-folder.js';

describe('the platform folder of native modules', () => {
  it('is Godot\'s feature tag of the system', () => {
    expect(platformFolder('linux', 'x64')).toBe('linux.x86_64');
    expect(platformFolder('win32', 'x64')).toBe('windows.x86_64');
    expect(platformFolder('darwin', 'arm64')).toBe('macos.arm64');
    expect(platformFolder('darwin', 'x64')).toBe('macos.x86_64');
  });

  it('is the folder scripts/assemble-addon.sh fills for every platform it assembles', () => {
    const table = PLATFORMS as Record<string, { os: string; cpu: string; folder: string }>;
    expect(Object.keys(table).length).toBeGreaterThanOrEqual(2);
    for (const entry of Object.values(table)) expect(platformFolder(entry.os, entry.cpu)).toBe(entry.folder);
  });

  it('is the folder the C client takes the runtime from (wc_platform.h)', () => {
    const header = readFileSync(join(import.meta.dirname, '..', 'client', 'wc_platform.h'), 'utf8');
    expect(header).toContain('#define WC_OS_NAME "windows"');
    expect(header).toContain('#define WC_OS_NAME "macos"');
    expect(header).toContain('#define WC_OS_NAME "linux"');
    expect(header).toContain('#define WC_OS_ARCH "x86_64"');
    expect(header).toContain('#define WC_OS_PLATFORM_FOLDER WC_OS_NAME "." WC_OS_ARCH');
  });
});

// The addon layout is exercised end to end by the C hosts (Linux, and Windows under Wine),
// whose worker folder holds the native modules only in worker/<platform>/.
describe('where a shipped native module is looked for', () => {
  const base = mkdtempSync(join(tmpdir(), 'wts-native-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('this platform\'s folder beside the bundle first, then beside it', () => {
    const bundle = pathToFileURL(join(base, 'worker', 'worker.mjs'));
    const found = nativeCandidates(bundle, 'shm.node').map((url) => url.pathname);
    expect(found).toEqual([join(base, 'worker', platformFolder(), 'shm.node'), join(base, 'worker', 'shm.node')]);
  });
});
