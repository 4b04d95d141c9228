import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as protocol from './protocol.js';
import {
  CONTROL_BLOCK_SIZE,
  MESSAGE_PAYLOAD_SIZE,
  MESSAGE_RING,
  MessageKind,
  RECORD_ALIGN,
  RECORD_HEADER_SIZE,
  RECORD_MAX_SIZE,
  RECORD_TYPE_MAX,
  RECORD_TYPE_MESSAGE_FIRST,
  RING_CONTROL_SIZE,
  RING_DATA_SIZE_MIN,
  RecordType,
  RingControlOffset,
  RingIndex,
  STATUS_COUNT,
  SYNC_KINDS,
  Status,
  statusName,
} from './protocol.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Text files under `dir` (relative to the repository), skipping build output and dependencies. */
function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'build', '.godot', 'runtime', 'worker', 'lib'].includes(entry.name)) out.push(...textFiles(path));
    } else if (/\.(c|h|ts|mjs|sh|gd|md)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('protocol', () => {
  it('has generated files that match protocol.json', () => {
    const generator = fileURLToPath(new URL('./generate.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [generator, '--check'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });

  it('puts every control word alone on its own block', () => {
    const offsets = Object.values(RingControlOffset);
    expect(new Set(offsets.map((o) => Math.floor(o / CONTROL_BLOCK_SIZE))).size).toBe(offsets.length);
    for (const offset of offsets) {
      expect(offset % CONTROL_BLOCK_SIZE).toBe(0);
      expect(offset).toBeLessThan(RING_CONTROL_SIZE);
    }
  });

  it('keeps records aligned and the largest one within half the smallest ring', () => {
    expect(RECORD_HEADER_SIZE % RECORD_ALIGN).toBe(0);
    expect(RECORD_MAX_SIZE % RECORD_ALIGN).toBe(0);
    expect(2 * RECORD_MAX_SIZE).toBeLessThanOrEqual(RING_DATA_SIZE_MIN);
    expect(RecordType.PADDING).toBeLessThan(RECORD_TYPE_MESSAGE_FIRST);
    expect(RECORD_TYPE_MESSAGE_FIRST).toBeLessThanOrEqual(RECORD_TYPE_MAX);
  });

  it('gives every message kind a ring and a fixed payload size, and makes only commands synchronous', () => {
    const kinds = Object.values(MessageKind);
    expect([...MESSAGE_RING.keys()].sort()).toEqual([...kinds].sort());
    expect([...MESSAGE_PAYLOAD_SIZE.keys()].sort()).toEqual([...kinds].sort());
    for (const size of MESSAGE_PAYLOAD_SIZE.values()) expect(size % RECORD_ALIGN).toBe(0);
    expect(SYNC_KINDS.size).toBeGreaterThan(0);
    for (const kind of SYNC_KINDS) expect(MESSAGE_RING.get(kind)).toBe(RingIndex.COMMANDS);
  });

  it('is where every GODOT_WEBRTC_* environment variable the tree spells out is defined', () => {
    // C and TypeScript use BP_ENV_* / ENV_*; shell scripts, scenes and docs spell the names out.
    const defined = new Set(Object.entries(protocol).filter(([key]) => key.startsWith('ENV_')).map(([, value]) => String(value)));
    expect(defined.size).toBeGreaterThanOrEqual(3);
    const dirs = ['bridge', 'extension', 'scripts', 'docs', 'godot-project/tests', 'godot-project/addons/webrtc_ts', 'tests'];
    const files = ['README.md', ...dirs.flatMap(textFiles)];
    const unknown: string[] = [];
    for (const file of files) {
      for (const [name] of readFileSync(join(ROOT, file), 'utf8').matchAll(/GODOT_WEBRTC_[A-Z0-9_]+/g)) {
        if (!defined.has(name) && !name.endsWith('_')) unknown.push(`${file}: ${name}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('cites only sections that exist in the documents it names', () => {
    // A "source" such as "docs/semantics.md, 'Receive memory'" must name a heading of that file.
    const json = readFileSync(join(ROOT, 'bridge/protocol/protocol.json'), 'utf8');
    const citations = [...json.matchAll(/((?:[\w-]+\/)*[\w-]+\.md), '([^']+)'/g)];
    expect(citations.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const [, file, section] of citations) {
      const headings = readFileSync(join(ROOT, file as string), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => line.replace(/^#+\s*/, ''));
      if (!headings.some((h) => h.startsWith(section as string))) missing.push(`${file}, '${section}'`);
    }
    expect(missing).toEqual([]);
  });

  it('names every status code, and only those', () => {
    expect(Object.keys(Status)).toHaveLength(STATUS_COUNT);
    for (const [name, value] of Object.entries(Status)) expect(statusName(value)).toBe(name);
    expect(statusName(STATUS_COUNT)).toBe('UNKNOWN_STATUS');
  });
});
