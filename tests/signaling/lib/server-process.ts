// The signalling server as users start it (node signaling/start.mjs, what `npm run signaling`
// runs), on 127.0.0.1 and a free port; its log is kept for the checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPOSITORY } from './paths.js';

export interface ServerProcess {
  readonly url: string;
  readonly log: () => string;
  stop(): Promise<number | null>;
}

export async function startServer(flags: string[]): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(REPOSITORY, 'signaling', 'start.mjs'), '--host', '127.0.0.1', '--port', '0', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /signaling server listening on (ws:\/\/\S+)/.exec(log);
    if (match?.[1]) {
      return {
        url: match[1],
        log: () => log,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the signalling server did not start: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
