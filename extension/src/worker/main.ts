// The worker process: one per Godot process, serving every peer connection.
// Started by the bridge client; exits when its parent's end of the link closes.
import { Core } from '../core/core.js';
import { ndcTransport, stackVersion } from '../transport/ndc-transport.js';
import { serveStdio } from './stdio-link.js';

const USAGE = 'usage: worker.mjs --stdio | --version';

function main(argv: readonly string[]): void {
  if (argv.includes('--version')) {
    process.stdout.write(`godot-webrtc worker, ${stackVersion()}\n`);
    return;
  }
  if (argv.includes('--stdio')) {
    serveStdio(
      (sink) => new Core(ndcTransport, sink),
      (core) => {
        core.closeAll();
        // libdatachannel's own cleanup at exit has crashed under load
        // (perf-baseline.md); every connection is closed, so leave at once.
        setTimeout(() => process.exit(0), 50).unref();
      },
    );
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
