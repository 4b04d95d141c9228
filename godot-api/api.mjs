// Where the generators read engine facts from: the repository's extract of the engine's API
// dump (godot-api/extension_api.extract.json), or a full dump named by $GODOT_API_DUMP.
// Facts are read by name from it, never written from memory.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

export const EXTRACT_PATH = join(here, 'extension_api.extract.json');

/** Every script that reads the API (each has a --check mode). */
export const GENERATORS = [
  join(root, 'scripts', 'gen-godot-enums.mjs'),
  join(root, 'bridge', 'gdextension', 'gen-api-dump.mjs'),
  join(root, 'bridge', 'protocol', 'generate.mjs'),
];

export function apiPath() {
  return process.env.GODOT_API_DUMP || EXTRACT_PATH;
}

/** The parsed API (extract or full dump): { path, dump }. */
export function loadApi() {
  const path = apiPath();
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the engine API ${path}: ${error.message}`);
  }
  return { path, dump: JSON.parse(text) };
}
