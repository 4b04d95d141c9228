// The worker process: one per Godot process, serving every peer connection.
// Started by the bridge client; exits when its parent's end of the link closes.
import { Core } from '../core/core.js';
import { ndcTransport, stackVersion } from '../transport/ndc-transport.js';
import { serveRings } from './ring-link.js';
import { serveStdio } from './stdio-link.js';

const USAGE = 'usage: worker.mjs --bridge | --stdio | --version';

/** Every connection is closed, then leave: libdatachannel's own cleanup at process exit, with connections still open, has crashed under load. */
function leave(core: Core, code: number): void {
  core.closeAll();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 50).unref();
}

function main(argv: readonly string[]): void {
  if (argv.includes('--version')) {
    process.stdout.write(`godot-webrtc worker, ${stackVersion()}\n`);
    return;
  }
  if (argv.includes('--bridge')) {
    // The shared-memory region and the doorbell socket, on the descriptors protocol.json names.
    serveRings((sink) => new Core(ndcTransport, sink), stackVersion(), leave);
    return;
  }
  if (argv.includes('--stdio')) {
    serveStdio(
      (sink) => new Core(ndcTransport, sink),
      (core) => leave(core, 0),
    );
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
