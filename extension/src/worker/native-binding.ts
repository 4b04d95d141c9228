/**
 * node-datachannel's native binary as the worker bundle loads it: node_datachannel.node in
 * this platform's folder beside the bundle (the addon: worker/<platform>/, see
 * bridge/node/platform-folder.ts), else beside the bundle (an export, build/worker/). scripts/build.mjs puts this module in place of node-datachannel's own
 * loader (which searches node_modules), so the worker is four flat files that can sit in
 * the addon's worker/ folder or beside an exported game's executable: worker.mjs, shm.node,
 * node_datachannel.node and the runtime. Tests run the unbundled core, which keeps the
 * package's own loader.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { nativeCandidates } from '../../../bridge/node/platform-folder.js';

export const NATIVE_BINARY = 'node_datachannel.node';

function load(): unknown {
  const paths = nativeCandidates(import.meta.url, NATIVE_BINARY).map((url) => fileURLToPath(url));
  const path = paths.find((candidate) => existsSync(candidate));
  if (path === undefined) {
    throw new Error(
      `node-datachannel's native binary is missing (tried ${paths.join(', ')}): reinstall the addon (its worker folder ships ${NATIVE_BINARY})`,
    );
  }
  return createRequire(import.meta.url)(path);
}

const binding = load();
export default binding;
