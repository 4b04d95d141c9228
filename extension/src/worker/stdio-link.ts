// The worker's debugging link: one JSON record per line on stdin (commands,
// each with an `id`) and stdout (replies `{reply: id, ...}` and events
// `{event: {...}}`), byte payloads in base64. The shared-memory bridge is the
// production link; this one lets a shell or a test drive the bundled worker.
import { createInterface } from 'node:readline';
import type { Core } from '../core/core.js';
import type { CoreEvent } from '../core/events.js';
import { Status } from '../godot/status.js';
import { dispatch } from './dispatch.js';

export function encodeEvent(event: CoreEvent): string {
  if (event.kind === 'message') {
    return JSON.stringify({ event: { ...event, data: Buffer.from(event.data).toString('base64') } });
  }
  return JSON.stringify({ event });
}

export function serveStdio(makeCore: (sink: (event: CoreEvent) => void) => Core, onEnd: (core: Core) => void): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const core = makeCore((event) => out(encodeEvent(event)));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      out(JSON.stringify({ reply: null, status: Status.INVALID_PARAMETER }));
      process.stderr.write('ERROR: worker: a command line is not JSON\n');
      return;
    }
    if (record.op === 'send' && typeof record.data === 'string') record.data = Buffer.from(record.data, 'base64');
    out(JSON.stringify({ reply: record.id ?? null, ...dispatch(core, record) }));
  });
  // The parent owns us: when it goes, so do we.
  lines.on('close', () => onEnd(core));
}
