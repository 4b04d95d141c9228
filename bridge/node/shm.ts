/**
 * The one module that loads the native shared-memory addon (shm.node, built from shm.c by
 * bridge/Makefile). When it cannot be loaded, the error says what was tried and what to do.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ENV_SHM_ADDON } from '../protocol/protocol.js';
import { nativeCandidates } from './platform-folder.js';

export interface ShmAddon {
  /** Map the whole file behind `fd` read-write and shared; unmapped when collected. */
  map(fd: number): ArrayBuffer;
}

let loaded: ShmAddon | undefined;

function candidates(explicit: string | undefined): string[] {
  if (explicit !== undefined) return [explicit];
  const list: string[] = [];
  const fromEnv = process.env[ENV_SHM_ADDON];
  if (fromEnv !== undefined && fromEnv !== '') list.push(fromEnv);
  // This platform's folder next to this module (the addon: worker/<platform>/shm.node), next
  // to it (an export, build/worker/), then the build tree.
  for (const url of nativeCandidates(import.meta.url, 'shm.node')) list.push(fileURLToPath(url));
  list.push(fileURLToPath(new URL('./build/shm.node', import.meta.url)));
  return list;
}

function isShmAddon(value: unknown): value is ShmAddon {
  return typeof value === 'object' && value !== null && typeof (value as { map?: unknown }).map === 'function';
}

/**
 * Load (once) and return the addon: from `explicitPath` only if given, else from
 * the environment variable ENV_SHM_ADDON names, this platform's folder next to this module
 * (platform-folder.ts), next to this module, or its build/ directory.
 * Throws an Error that says what was tried and how to build it.
 */
export function loadShmAddon(explicitPath?: string): ShmAddon {
  if (loaded !== undefined && explicitPath === undefined) return loaded;
  const require = createRequire(import.meta.url);
  const tried = candidates(explicitPath);
  const failures: string[] = [];
  for (const path of tried) {
    if (!existsSync(path)) {
      failures.push(`${path}: not found`);
      continue;
    }
    try {
      const addon: unknown = require(path);
      if (!isShmAddon(addon)) {
        failures.push(`${path}: not the bridge shm addon`);
        continue;
      }
      if (explicitPath === undefined) loaded = addon;
      return addon;
    } catch (error) {
      failures.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(
    'bridge: cannot load the shared-memory addon shm.node. Build it with `make -C bridge addon` ' +
      `(needs a C compiler and Node's headers), or set ${ENV_SHM_ADDON}. Tried:\n  ${failures.join('\n  ')}`,
  );
}
