#!/usr/bin/env node
// Reads a Godot 4 pack (.pck, format versions 2 and 3, directory not encrypted): the
// layout of core/io/file_access_pack.cpp. Used by the export tests to see what a pack holds.
//
//   node scripts/lib/pck.mjs list <file.pck>          one path a line
//   node scripts/lib/pck.mjs cat <file.pck> <path>    a file's bytes on stdout
import { openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAGIC = 0x43504447; // "GDPC"
const FLAG_DIR_ENCRYPTED = 1 << 0;
const FLAG_REL_FILEBASE = 1 << 1;
const FILE_REMOVAL = 1 << 1;

function reader(path) {
  const fd = openSync(path, 'r');
  let at = 0;
  const bytes = (n) => {
    const buffer = Buffer.alloc(n);
    if (readSync(fd, buffer, 0, n, at) !== n) throw new Error(`${path}: truncated at ${at}`);
    at += n;
    return buffer;
  };
  return {
    u32: () => bytes(4).readUInt32LE(0),
    u64: () => Number(bytes(8).readBigUInt64LE(0)),
    bytes,
    seek: (to) => { at = to; },
  };
}

/** [{ path, offset, size }] of a standalone pack. */
export function listPack(path) {
  const r = reader(path);
  if (r.u32() !== MAGIC) throw new Error(`${path} is not a Godot pack`);
  const version = r.u32();
  r.u32(); r.u32(); r.u32(); // engine major, minor, patch
  if (version !== 2 && version !== 3) throw new Error(`${path}: pack version ${version} is not 2 or 3`);
  const flags = r.u32();
  if (flags & FLAG_DIR_ENCRYPTED) throw new Error(`${path}: the directory is encrypted`);
  const fileBase = r.u64(); // relative to the pack's start when FLAG_REL_FILEBASE (0 here)
  if (version === 3) {
    r.seek(r.u64());
  } else {
    for (let i = 0; i < 16; i++) r.u32();
  }
  const count = r.u32();
  const files = [];
  for (let i = 0; i < count; i++) {
    const name = r.bytes(r.u32()).toString('utf8').replace(/\0+$/, '');
    const offset = r.u64();
    const size = r.u64();
    r.bytes(16); // md5
    const fileFlags = r.u32();
    if (!(fileFlags & FILE_REMOVAL)) files.push({ path: name, offset: fileBase + offset, size, relative: Boolean(flags & FLAG_REL_FILEBASE) });
  }
  return files;
}

export function readPackFile(pack, name) {
  const entry = listPack(pack).find((f) => f.path === name);
  if (!entry) return undefined;
  const r = reader(pack);
  r.seek(entry.offset);
  return r.bytes(entry.size);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, pack, name] = process.argv.slice(2);
  if (command === 'list' && pack) {
    for (const f of listPack(pack)) console.log(f.path);
  } else if (command === 'cat' && pack && name) {
    const data = readPackFile(pack, name);
    if (data === undefined) {
      console.error(`${name} is not in ${pack}`);
      process.exit(1);
    }
    process.stdout.write(data);
  } else {
    console.error('usage: pck.mjs list <file.pck> | cat <file.pck> <path>');
    process.exit(2);
  }
}
