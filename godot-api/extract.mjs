#!/usr/bin/env node
// Writes godot-api/extension_api.extract.json: the part of the engine's API dump
// (`godot --dump-extension-api` writes extension_api.json) that this repository's
// generators read, so that a clone builds and checks itself with nothing beside it.
//
//   node godot-api/extract.mjs <extension_api.json>           re-extract from a full dump
//   node godot-api/extract.mjs <extension_api.json> --check   exit 1 when the committed
//                                                             extract differs from it
//
// After writing, it proves the extract is enough: every generator's --check passes against
// the full dump as well as against the extract (so both give the committed files).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXTRACT_PATH, GENERATORS } from './api.mjs';

// What is kept. Whole entries for the WebRTC classes (enums, methods, signals); from the
// others only what a generator names.
export const KEEP = {
  global_enums: ['Error', 'Variant.Type'],
  builtin_classes: ['String', 'StringName', 'Dictionary'], // name and constructors only
  classes_whole: [
    'WebRTCPeerConnection',
    'WebRTCDataChannel',
    'WebRTCPeerConnectionExtension',
    'WebRTCDataChannelExtension',
    'WebRTCMultiplayerPeer',
  ],
  class_methods: { Object: ['emit_signal'], JSON: ['stringify'], ProjectSettings: ['get_setting'] },
};

function pick(list, names, what) {
  return names.map((name) => {
    const found = list.find((x) => x.name === name);
    if (!found) throw new Error(`${what} ${name} is not in the API dump`);
    return found;
  });
}

export function extract(dump) {
  return {
    header: dump.header,
    builtin_class_sizes: dump.builtin_class_sizes,
    global_enums: pick(dump.global_enums, KEEP.global_enums, 'global enum'),
    builtin_classes: pick(dump.builtin_classes, KEEP.builtin_classes, 'builtin class').map((c) => ({
      name: c.name,
      constructors: c.constructors,
    })),
    classes: [
      ...pick(dump.classes, KEEP.classes_whole, 'class'),
      ...Object.entries(KEEP.class_methods).map(([name, methods]) => {
        const [cls] = pick(dump.classes, [name], 'class');
        return { name, methods: pick(cls.methods, methods, `method of ${name}:`) };
      }),
    ],
  };
}

export function render(dump) {
  return `${JSON.stringify(extract(dump), null, 1)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const full = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!full) {
    console.error('usage: node godot-api/extract.mjs <extension_api.json> [--check]');
    process.exit(2);
  }
  const text = render(JSON.parse(readFileSync(full, 'utf8')));
  if (process.argv.includes('--check')) {
    if (readFileSync(EXTRACT_PATH, 'utf8') !== text) {
      console.error(`${EXTRACT_PATH} differs from ${full}: run node godot-api/extract.mjs ${full}`);
      process.exit(1);
    }
  } else {
    writeFileSync(EXTRACT_PATH, text);
    console.log(`wrote ${EXTRACT_PATH}`);
  }
  for (const generator of GENERATORS) {
    for (const dumpPath of [full, EXTRACT_PATH]) {
      try {
        execFileSync(process.execPath, [generator, '--check'], {
          env: { ...process.env, GODOT_API_DUMP: dumpPath },
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      } catch {
        console.error(`${generator} --check fails against ${dumpPath}`);
        process.exit(1);
      }
    }
  }
  console.log('every generator gives the committed files from the full dump and from the extract');
}
