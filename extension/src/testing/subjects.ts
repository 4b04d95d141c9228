// What the conformance rows judge (docs/semantics.md; extension/src/api/*.test.ts): the
// TypeScript facade over the fake stack, the facade over node-datachannel, and the C client
// that Godot's shims run (bridge/client/, through its test binding), which starts the real
// worker on node-datachannel. Every row runs against every subject; a row that needs a hook
// only the facade has (a transport that spies on or reorders the stack) is reported as
// skipped on the C client, with the reason in its title.
import { it } from 'vitest';
import { CClientSession, cClientStats, holdCClientEvents } from '../../../bridge/client/tests/napi/c-client.js';
import { Session } from '../api/session.js';
import { capturing } from './capturing-transport.js';
import { fakeTransport } from '../transport/fake-transport.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import type { Transport } from '../transport/transport.js';
import { collectLogs, type LogLine } from './loopback.js';
import type { RtcSession, TapEvent } from './rtc-shape.js';
import { titled } from './privileges.js';

export interface SubjectSessionOptions {
  /** The facade's stack instead of the subject's own (a spy or reordering wrapper of it). */
  readonly transport?: Transport;
  readonly receiveLimit?: number;
  readonly sendLimit?: number;
  readonly tap?: (event: TapEvent) => void;
}

export interface Subject {
  readonly name: string;
  /** The facade's stack; undefined for the C client, whose stack is in the worker. */
  readonly transport: Transport | undefined;
  /** Real ICE, DTLS and SCTP under it (node-datachannel), not the fake. */
  readonly real: boolean;
  makeSession(logger: (level: LogLine['level'], message: string) => void, options?: SubjectSessionOptions): RtcSession;
}

function facade(transport: Transport): Subject {
  return {
    name: transport.name,
    transport,
    real: transport !== fakeTransport,
    makeSession: (logger, options = {}) => {
      const tap = options.tap;
      return new Session({
        transport: options.transport ?? transport,
        logger,
        ...(options.receiveLimit !== undefined ? { receiveLimit: options.receiveLimit } : {}),
        ...(options.sendLimit !== undefined ? { sendLimit: options.sendLimit } : {}),
        ...(tap
          ? {
            tap: (e) => {
              if (e.kind === 'connection-state' || e.kind === 'gathering-state' || e.kind === 'signaling-state') tap({ kind: e.kind, pc: e.pc, state: e.state });
              else if (e.kind === 'description' || e.kind === 'candidate') tap({ kind: e.kind, pc: e.pc });
            },
          }
          : {}),
      });
    },
  };
}

export const FAKE = facade(fakeTransport);
export const NDC = facade(ndcTransport);
export const C_CLIENT: Subject = {
  name: 'the C client',
  transport: undefined,
  real: true,
  makeSession: (logger, options = {}) => {
    if (options.transport) throw new Error('the C client has no transport to replace; use itOnTransport');
    return new CClientSession({ logger, ...options });
  },
};

/** For describe.each: [name, subject]. */
export const SUBJECTS = [FAKE, NDC, C_CLIENT].map((s) => [s.name, s] as const);
/** The subjects on real node-datachannel. */
export const REAL_SUBJECTS = [NDC, C_CLIENT].map((s) => [s.name, s] as const);

/** A session that remembers to close itself after the test, and its log lines. */
export function sessionsOf(list: RtcSession[]) {
  return (subject: Subject, options: SubjectSessionOptions = {}) => {
    const logs = collectLogs();
    const session = subject.makeSession(logs.logger, options);
    list.push(session);
    return { session, logs: logs.lines };
  };
}

/**
 * A row that plays or watches the stack through the facade's Transport (the capturing spy,
 * the reordering wrappers): it runs on the facade subjects and is reported as skipped on
 * the C client, whose stack lives in the worker process, with `why` in its title.
 */
export function itOnTransport(subject: Subject, title: string, why: string, body: (transport: Transport) => Promise<void> | void): void {
  const transport = subject.transport;
  if (transport) it(title, () => body(transport));
  else it.skip(titled(title, `${why}; the C client's stack is node-datachannel in the worker process, out of reach of a test hook`), () => undefined);
}

/**
 * Counts the peer objects the stack makes from now on: the capturing spy's count on the
 * facade (make the session with `options`), the worker's replies to CREATE_PEER on the C
 * client.
 */
export function countStackPeers(subject: Subject): { options: SubjectSessionOptions; created: () => number } {
  if (subject.transport) {
    const spy = capturing(subject.transport);
    return { options: { transport: spy }, created: () => spy.created };
  }
  const base = cClientStats().peersCreated;
  return { options: {}, created: () => cClientStats().peersCreated - base };
}

/**
 * Runs `body` while the subject sees nothing the stack did meanwhile: the C client's worker
 * sends on its own, so a row that needs what it queued to still be waiting holds the
 * worker's events (no synchronous call may run inside); the facade counts synchronously.
 */
export function withStackUnseen<T>(subject: Subject, body: () => T): T {
  if (subject.transport) return body();
  holdCClientEvents(true);
  try {
    return body();
  } finally {
    holdCClientEvents(false);
  }
}
