// The worker process: one per Godot process, serving every peer connection.
// Started by the bridge client; exits when its parent's end of the link closes.
import { ENV_LOG_LEVEL } from '../../../bridge/protocol/protocol.js';
import { Core } from '../core/core.js';
import { parseLogLevel } from '../core/log-level.js';
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
  // How much the core and the stack say (README.md, 'Logs and diagnostics'); a bad value is one warning and the default.
  const level = parseLogLevel(process.env[ENV_LOG_LEVEL]);
  if (argv.includes('--bridge')) {
    // The shared-memory region and the doorbell socket, on the descriptors protocol.json names.
    const notices = level.ok ? [] : [{ level: 'warning' as const, message: level.warning }];
    serveRings((sink) => new Core(ndcTransport, sink, { logLevel: level.level }), stackVersion(), leave, notices);
    return;
  }
  if (argv.includes('--stdio')) {
    if (!level.ok) process.stderr.write(`WARNING: ${level.warning}\n`);
    serveStdio(
      (sink) => new Core(ndcTransport, sink, { logLevel: level.level }),
      (core) => leave(core, 0),
    );
    return;
  }
  process.stderr.write(`${USAGE}\n`);
  process.exitCode = 2;
}

main(process.argv.slice(2));
