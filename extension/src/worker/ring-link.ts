// The worker's production link: serves the core over the shared-memory rings
// (bridge/README.md). Godot's client writes commands into the COMMANDS ring;
// each is decoded, checked and handed to dispatch(); synchronous ones get a
// REPLY. Every core event becomes one record in the EVENTS ring, in order.
//
// CONTRACT
// - Wire format: bridge/protocol/protocol.json, encoded and decoded in
//   wire-codec.ts.
// - First record out: HELLO (version, features, pid, stack). A heartbeat is
//   stored every HEARTBEAT_INTERVAL_MS whatever the link is doing.
// - Sleeping: after SPIN_MS without a command the link re-checks the ring
//   every POLL_INTERVAL_MS, and only after POLL_WINDOW_MS without a command
//   does it sleep with the ring layer's prepareSleep (+ prepareWait when
//   events wait for room); the client's doorbell byte wakes it. So a game that
//   sends every frame never pays the doorbell's system call on its thread.
//   It never blocks the event loop.
// - Events ring full: events queue here, in order (nothing is dropped), and
//   the link asks for a doorbell when the client frees room (producer_waiting).
// - A record that cannot be decoded is one log line and, when it carries a
//   request id, a REPLY with INVALID_PARAMETER. A ring whose framing is
//   corrupt (sticky ring status) ends the link: the worker exits and the
//   client starts a new one.
// - The doorbell reaching EOF (Godot's process is gone) ends the link: the
//   caller closes every connection and exits. No worker outlives Godot.
import {
  CoreStatus,
  EvtMessageOffset,
  HEARTBEAT_INTERVAL_MS,
  MessageFlag,
  MessageKind,
  Status as RingStatus,
  statusName,
} from '../../../bridge/protocol/protocol.js';
import { RingConsumer, RingProducer } from '../../../bridge/ring/ring.js';
import { openWorkerEndpoints } from '../../../bridge/node/endpoints.js';
import { type MappedRegion, mapRegion } from '../../../bridge/node/map-region.js';
import type { Core } from '../core/core.js';
import type { CoreEvent, EventSink } from '../core/events.js';
import { type Reply, dispatch } from './dispatch.js';
import {
  type OutRecord,
  byteLength,
  decodeCommand,
  encodeEvent,
  encodeHello,
  encodeLog,
  encodeReply,
} from './wire-codec.js';
import { encodeChannelStats, encodePeerStats } from './stats-codec.js';

const K = MessageKind;
/** Commands handled per event-loop turn before I/O callbacks get their turn. */
const BATCH = 256;
/** Backlog size that earns a warning (then each doubling): Godot has stopped polling. */
const BACKLOG_WARN_BYTES = 64 * 1024 * 1024;
/**
 * Idle time spent re-checking the ring at every event-loop turn: a ping-pong's
 * next command (a round trip of 0.1-0.5 ms on loopback) is seen within a turn.
 */
const SPIN_MS = 1;
/** Then the ring is re-checked this often, from a timer, without asking for the doorbell... */
const POLL_INTERVAL_MS = 1;
/**
 * ...until this long without a command: longer than a frame at 60 Hz (16.7 ms)
 * or 30 Hz, so a game sending every frame finds the worker awake; short enough
 * that idle connections (no commands) cost nothing once it passes.
 */
const POLL_WINDOW_MS = 100;

// ---- the link -------------------------------------------------------------------------

/** What the link needs from the doorbell (bridge/node/doorbell.ts; a fake in tests). */
export interface DoorbellPort {
  ring(): void;
  onRing(listener: (() => void) | undefined): void;
  wait(timeoutMs: number): Promise<'rung' | 'timeout' | 'closed'>;
}

export interface RingLinkOptions {
  readonly region: Pick<MappedRegion, 'commands' | 'events'>;
  readonly doorbell: DoorbellPort;
  readonly makeCore: (sink: EventSink) => Core;
  /** The WebRTC stack's name and version, for HELLO. */
  readonly stack: string;
  /** Called once when the link ends: `code` 0 for the doorbell's EOF, 1 for a dead ring. */
  readonly onEnd: (core: Core, code: number) => void;
  /** Lines for the worker's stderr (default: process.stderr). */
  readonly log?: (line: string) => void;
  /** LOG records written right after HELLO (the worker's own start-up warnings). */
  readonly notices?: ReadonlyArray<{ readonly level: 'error' | 'warning'; readonly message: string }>;
  readonly pid?: number;
  readonly spinMs?: number;
  readonly pollWindowMs?: number;
  /** Monotonic ms for the heartbeat (default: CLOCK_MONOTONIC via process.hrtime). */
  readonly nowMs?: () => number;
}

export interface RingLinkStats {
  commands: number;
  events: number;
  sleeps: number;
  rings: number;
  backlogPeak: number;
}

const monotonicMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);

export class RingLink {
  readonly core: Core;
  readonly stats: RingLinkStats = { commands: 0, events: 0, sleeps: 0, rings: 0, backlogPeak: 0 };
  readonly #o: RingLinkOptions;
  readonly #consumer: RingConsumer;
  readonly #producer: RingProducer;
  readonly #log: (line: string) => void;
  readonly #spinMs: number;
  readonly #pollWindowMs: number;
  /** Encoded events waiting for room in the EVENTS ring, in order. */
  #backlog: Array<{ type: number; bytes: Uint8Array }> = [];
  #backlogHead = 0;
  #backlogBytes = 0;
  #backlogWarnAt = BACKLOG_WARN_BYTES;
  #scheduled = false;
  #publishQueued = false;
  #sleeping = false;
  #waiting = false;
  #idleSince = -1;
  #ended = false;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: RingLinkOptions) {
    this.#o = options;
    this.#consumer = new RingConsumer(options.region.commands);
    this.#producer = new RingProducer(options.region.events);
    this.#log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.#spinMs = options.spinMs ?? SPIN_MS;
    this.#pollWindowMs = options.pollWindowMs ?? POLL_WINDOW_MS;
    this.core = options.makeCore((event) => (event.kind === 'message' ? this.#emitMessage(event) : this.#emit(encodeEvent(event))));
  }

  /** HELLO, heartbeat, doorbell; then serve until the doorbell closes. */
  start(): void {
    const beat = () => this.#consumer.heartbeat((this.#o.nowMs ?? monotonicMs)());
    beat();
    this.#heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
    this.#heartbeat.unref();
    this.#emit(encodeHello(this.#o.pid ?? process.pid, this.#o.stack));
    for (const notice of this.#o.notices ?? []) this.#emit(encodeLog(0, notice.level, notice.message));
    this.#o.doorbell.onRing(() => this.#schedule());
    void this.#watchEof();
    this.#schedule();
  }

  get backlogLength(): number {
    return this.#backlog.length - this.#backlogHead;
  }

  async #watchEof(): Promise<void> {
    while (!this.#ended) {
      if ((await this.#o.doorbell.wait(60_000)) === 'closed') return this.#end(0, undefined);
    }
  }

  #end(code: number, line: string | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    if (line !== undefined) this.#log(line);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#o.doorbell.onRing(undefined);
    this.#o.onEnd(this.core, code);
  }

  #schedule(): void {
    if (this.#scheduled || this.#ended) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  /** The next turn from a timer: the ring is checked without the client ringing. */
  #schedulePoll(): void {
    if (this.#scheduled || this.#ended) return;
    this.#scheduled = true;
    setTimeout(this.#turn, POLL_INTERVAL_MS);
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    if (this.#ended) return;
    if (this.#sleeping) this.#consumer.endSleep();
    if (this.#waiting) this.#producer.endWait();
    this.#sleeping = this.#waiting = false;
    const handled = this.#drainCommands();
    this.#flush();
    if (this.#ended) return;
    if (handled > 0) {
      this.#idleSince = -1;
      return this.#schedule();
    }
    const now = performance.now();
    if (this.#idleSince < 0) this.#idleSince = now;
    const idle = now - this.#idleSince;
    if (idle < this.#spinMs) return this.#schedule();
    if (idle < this.#pollWindowMs) return this.#schedulePoll();
    if (!this.#consumer.prepareSleep()) return this.#schedule();
    if (this.backlogLength > 0 && !this.#prepareWait()) {
      this.#consumer.endSleep();
      return this.#schedule();
    }
    this.#sleeping = true;
    this.#idleSince = -1;
    this.stats.sleeps++;
  };

  #drainCommands(): number {
    const consumer = this.#consumer;
    let handled = 0;
    while (handled < BATCH) {
      const status = consumer.peek();
      if (status === RingStatus.EMPTY) break;
      if (status !== RingStatus.OK) {
        this.#end(1, `godot-webrtc worker: the commands ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
        return handled;
      }
      this.#handle(consumer.type, consumer.offset, consumer.length);
      consumer.advance();
      handled++;
    }
    this.stats.commands += handled;
    if (consumer.publish()) this.#ring();
    return handled;
  }

  #handle(kind: number, offset: number, length: number): void {
    const decoded = decodeCommand(kind, this.#consumer.data, this.#consumer.view, offset, length);
    if (!decoded.ok) {
      // One line, through Godot's log: the LOG event (stderr is for a dead ring only).
      this.#emit(encodeLog(decoded.pc, 'error', decoded.message));
      if (decoded.requestId !== undefined) this.#emit(encodeReply(decoded.requestId, kind, { status: CoreStatus.INVALID_PARAMETER }));
      return;
    }
    let reply: Reply;
    try {
      reply = dispatch(this.core, decoded.command);
    } catch (error) {
      const message = `worker: ${decoded.command.op} failed: ${(error as Error)?.stack ?? String(error)}`;
      this.#log(`godot-webrtc ${message}`);
      this.#emit(encodeLog(0, 'error', message));
      reply = { status: CoreStatus.INTERNAL };
    }
    if (decoded.requestId === undefined) return;
    // A stats answer's data goes just before its REPLY, with the same request id.
    if (reply.peerStats && decoded.command.op === 'get-peer-stats') this.#emit(encodePeerStats(decoded.requestId, decoded.command.pc, reply.peerStats));
    if (reply.channelStats && decoded.command.op === 'get-channel-stats') this.#emit(encodeChannelStats(decoded.requestId, decoded.command.ch, reply.channelStats));
    this.#emit(encodeReply(decoded.requestId, kind, reply));
  }

  /** The hot path of #emit for a received message: written in place, no record object. */
  #emitMessage(event: Extract<CoreEvent, { kind: 'message' }>): void {
    const producer = this.#producer;
    const length = 16 + event.data.byteLength;
    if (this.#ended || this.backlogLength > 0 || length > producer.maxPayload || producer.reserve(length) !== RingStatus.OK) {
      return this.#emit(encodeEvent(event));
    }
    this.stats.events++;
    const view = producer.view;
    const o = producer.reservedOffset;
    view.setUint32(o + EvtMessageOffset.ch, event.ch, true);
    view.setUint32(o + EvtMessageOffset.flags, event.isString ? MessageFlag.STRING : 0, true);
    view.setUint32(o + EvtMessageOffset.data_length, event.data.byteLength, true);
    view.setUint32(o + 12, 0, true);
    producer.data.set(event.data, o + 16);
    producer.commit(K.MESSAGE, length);
    this.#queuePublish();
  }

  /** Write a record in order: into the ring if nothing waits before it, else into the backlog. */
  #emit(record: OutRecord): void {
    if (this.#ended) return;
    this.stats.events++;
    const producer = this.#producer;
    if (record.length > producer.maxPayload) return this.#tooLarge(record);
    if (this.backlogLength === 0) {
      const status = producer.reserve(record.length);
      if (status === RingStatus.OK) {
        record.write(producer.data, producer.view, producer.reservedOffset);
        producer.commit(record.type, record.length);
        return this.#queuePublish();
      }
      if (status !== RingStatus.FULL) {
        return this.#end(1, `godot-webrtc worker: the events ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
      }
    }
    const bytes = new Uint8Array(record.length);
    record.write(bytes, new DataView(bytes.buffer), 0);
    this.#backlog.push({ type: record.type, bytes });
    this.#backlogBytes += bytes.byteLength;
    this.stats.backlogPeak = Math.max(this.stats.backlogPeak, this.backlogLength);
    if (this.#backlogBytes >= this.#backlogWarnAt) {
      this.#log(`godot-webrtc worker: ${Math.round(this.#backlogBytes / 1048576)} MiB of events wait for Godot to poll (is the game paused?)`);
      this.#backlogWarnAt *= 2;
    }
    this.#queuePublish();
  }

  #tooLarge(record: OutRecord): void {
    const message = `worker: an event of kind ${record.type} (${record.length} bytes) does not fit one record (at most ${this.#producer.maxPayload}); dropped`;
    this.#log(`godot-webrtc ${message}`);
    if (record.type !== K.LOG) this.#emit(encodeLog(0, 'error', message));
  }

  /** Publish once per microtask checkpoint: a burst of events costs one release store. */
  #queuePublish(): void {
    if (this.#publishQueued) return;
    this.#publishQueued = true;
    queueMicrotask(() => {
      this.#publishQueued = false;
      this.#flush();
      if (this.backlogLength > 0 && !this.#scheduled && !this.#waiting && !this.#ended) {
        if (!this.#prepareWait()) this.#schedule();
      }
    });
  }

  /** Move backlog records into the ring while they fit, then publish. */
  #flush(): void {
    const producer = this.#producer;
    while (this.#backlogHead < this.#backlog.length) {
      const record = this.#backlog[this.#backlogHead]!;
      const status = producer.write(record.type, record.bytes);
      if (status === RingStatus.FULL) break;
      if (status !== RingStatus.OK) {
        return this.#end(1, `godot-webrtc worker: the events ring is corrupt (${statusName(status)}); exiting so that Godot starts a new worker`);
      }
      this.#backlogBytes -= record.bytes.byteLength;
      this.#backlogHead++;
    }
    if (this.#backlogHead === this.#backlog.length) {
      this.#backlog = [];
      this.#backlogHead = 0;
      this.#backlogWarnAt = BACKLOG_WARN_BYTES;
    } else if (this.#backlogHead > 1024 && this.#backlogHead * 2 > this.#backlog.length) {
      this.#backlog = this.#backlog.slice(this.#backlogHead);
      this.#backlogHead = 0;
    }
    if (producer.publish()) this.#ring();
  }

  /** Ask the client for a doorbell when it frees room for the first backlog record. */
  #prepareWait(): boolean {
    const first = this.#backlog[this.#backlogHead];
    if (first === undefined) return false;
    this.#waiting = this.#producer.prepareWait(first.bytes.byteLength);
    return this.#waiting;
  }

  #ring(): void {
    this.stats.rings++;
    this.#o.doorbell.ring();
  }
}

// ---- the worker's --bridge mode ---------------------------------------------------------

/**
 * `worker.mjs --bridge`: map the region and open the doorbell the client gave (bridge/node/endpoints.ts:
 * REGION_FD and DOORBELL_FD on POSIX, a handle and a pipe name on Windows; where the
 * client's posix_spawn file actions place them) and serve until it closes.
 * A region that cannot be mapped is one stderr line and exit code 1 (the client reports it).
 */
export function serveRings(
  makeCore: (sink: EventSink) => Core,
  stack: string,
  onEnd: (core: Core, code: number) => void,
  notices: RingLinkOptions['notices'] = [],
): RingLink | undefined {
  const endpoints = openWorkerEndpoints();
  const mapped = mapRegion(endpoints.region);
  if (mapped.status !== RingStatus.OK || mapped.region === undefined) {
    const detail = (mapped as { readonly message?: string }).message ?? statusName(mapped.status);
    process.stderr.write(`godot-webrtc worker: cannot attach the shared memory on ${endpoints.regionName}: ${detail}\n`);
    process.exitCode = 1;
    endpoints.doorbell.close();
    return undefined;
  }
  const doorbell = endpoints.doorbell;
  const port: DoorbellPort = {
    ring: () => endpoints.ring(),
    onRing: (listener) => doorbell.onRing(listener),
    wait: (timeoutMs) => doorbell.wait(timeoutMs),
  };
  const link = new RingLink({ region: mapped.region, doorbell: port, makeCore, stack, onEnd, notices });
  // Windows: serve once the doorbell pipe is connected, so no ring is lost before it.
  if (process.platform === 'win32') void endpoints.ready.then(() => link.start());
  else link.start();
  return link;
}
