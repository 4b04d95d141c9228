import { spawn } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAGIC, RING_DATA_SIZE_MIN, Status } from '../protocol/protocol.js';
import { formatRegion, regionSize } from '../ring/region.js';
import { SHM_ADDON_PATH, ensureBridgeBuilt } from './build.test-setup.js';
import { mapRegion } from './map-region.js';
import { type ShmAddon, loadShmAddon } from './shm.js';

let addon: ShmAddon;
let dir: string;

beforeAll(() => {
  ensureBridgeBuilt();
  addon = loadShmAddon(SHM_ADDON_PATH);
  dir = mkdtempSync(join(tmpdir(), 'bridge-shm-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sizedFile(name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w+', 0o600);
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

function mapPath(path: string): ArrayBuffer {
  const fd = openSync(path, 'r+');
  try {
    return addon.map(fd);
  } finally {
    closeSync(fd); // the mapping outlives the descriptor
  }
}

describe('shm addon', () => {
  it('maps a descriptor into an ArrayBuffer that two mappings share', () => {
    const path = sizedFile('two-mappings', 65536);
    const a = mapPath(path);
    const b = mapPath(path);
    expect(a.byteLength).toBe(65536);
    new Uint8Array(a)[1234] = 42;
    expect(new Uint8Array(b)[1234]).toBe(42);
  });

  it('supports Atomics on typed arrays over the mapping', () => {
    const path = sizedFile('atomics', 4096);
    const a = mapPath(path);
    const b = mapPath(path);
    const wordsA = new BigUint64Array(a, 128, 1);
    const wordsB = new BigUint64Array(b, 128, 1);
    Atomics.store(wordsA, 0, 2n ** 63n + 5n);
    expect(Atomics.load(wordsB, 0)).toBe(2n ** 63n + 5n);
    const flagsA = new Int32Array(a, 256, 1);
    const flagsB = new Int32Array(b, 256, 1);
    Atomics.store(flagsA, 0, 1);
    expect(Atomics.exchange(flagsB, 0, 0)).toBe(1);
    expect(Atomics.load(flagsA, 0)).toBe(0);
  });

  it('ping-pongs a counter with Atomics across two processes', async () => {
    const path = sizedFile('pingpong', 4096);
    const fd = openSync(path, 'r+');
    const counter = new Int32Array(addon.map(fd), 0, 1);
    const rounds = 20_000;
    const script = `
      const { createRequire } = require('node:module');
      const shm = createRequire(process.cwd() + '/')(${JSON.stringify(SHM_ADDON_PATH)});
      const c = new Int32Array(shm.map(3), 0, 1);
      const deadline = Date.now() + 20000;
      for (let n = 1; n < ${2 * rounds}; n += 2) {
        while (Atomics.load(c, 0) !== n) if (Date.now() > deadline) process.exit(2);
        Atomics.store(c, 0, n + 1);
      }`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'inherit', 'inherit', fd] });
    closeSync(fd);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 20_000;
    for (let n = 0; n < 2 * rounds; n += 2) {
      while (Atomics.load(counter, 0) !== n) {
        if (Date.now() > deadline) throw new Error(`stuck at ${Atomics.load(counter, 0)}, expected ${n}`);
      }
      Atomics.store(counter, 0, n + 1);
    }
    expect(await exited).toBe(0);
    expect(Atomics.load(counter, 0)).toBe(2 * rounds);
  });

  it('throws ERR_BRIDGE_SHM for bad descriptors and empty files', () => {
    expect(() => addon.map(-1)).toThrow(/map\(fd\)/);
    expect(() => addon.map(987654)).toThrow(/fstat failed/);
    const fd = openSync(sizedFile('empty', 0), 'r+');
    try {
      expect(() => addon.map(fd)).toThrow(/size/);
    } finally {
      closeSync(fd);
    }
  });

  it('explains how to build the addon when it is missing', () => {
    expect(() => loadShmAddon(join(dir, 'missing.node'))).toThrow(/make -C bridge addon/);
  });
});

describe('mapRegion', () => {
  it('maps and validates a region, and reports bad ones by status', () => {
    const size = regionSize(RING_DATA_SIZE_MIN, RING_DATA_SIZE_MIN);
    const path = sizedFile('region', size);
    expect(formatRegion(mapPath(path), RING_DATA_SIZE_MIN, RING_DATA_SIZE_MIN)).toBe(Status.OK);
    let fd = openSync(path, 'r+');
    const mapped = mapRegion(fd, addon);
    closeSync(fd);
    expect(mapped.status).toBe(Status.OK);
    expect(mapped.region?.commands.capacity).toBe(RING_DATA_SIZE_MIN);
    new DataView(mapPath(path)).setUint32(0, MAGIC ^ 1, true);
    fd = openSync(path, 'r+');
    expect(mapRegion(fd, addon).status).toBe(Status.BAD_MAGIC);
    closeSync(fd);
    expect(mapRegion(-1, addon).status).toBe(Status.SYSTEM);
  });
});
