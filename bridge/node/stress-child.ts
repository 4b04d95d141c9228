/**
 * Node side of the two-process stress test (bridge/ring/tests/stress.c starts it, as Godot
 * will start the worker): the region is on REGION_FD, the doorbell socket on DOORBELL_FD. It
 * consumes the COMMANDS ring, produces the EVENTS ring, or both, verifying every byte of
 * every record (bridge/node/stress-records.ts), and sleeps on the doorbell whenever it cannot progress.
 *
 *   node stress-child.mjs --role consume|produce|duplex --records N --seed S [--corrupt-at=K]
 *
 * Prints one summary line; exits 0, or with "stress-child: FAIL ..." on stderr: 3 if a
 * record differed from what was sent, 1 for anything else.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DOORBELL_FD, REGION_FD, Status, statusName } from '../protocol/protocol.js';
import { RingConsumer, RingProducer } from '../ring/ring.js';
import { Doorbell } from './doorbell.js';
import { mapRegion } from './map-region.js';
import { checkRecord, fillRecord, recordLength, recordType } from './stress-records.js';

const BATCH = 64;
const STALL_MS = 15_000;

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'duplex' },
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'corrupt-at': { type: 'string', default: '-1' },
  },
});
const role = values.role;
const total = Number(values.records);
const seed = Number(values.seed) >>> 0;
const corruptAt = Number(values['corrupt-at']);

/** Exit code for a record that arrived different from what was sent (the negative controls expect it). */
const EXIT_MISMATCH = 3;

class StressFailure extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

function fail(message: string): never {
  throw new StressFailure(message, 1);
}

function mismatch(message: string): never {
  throw new StressFailure(message, EXIT_MISMATCH);
}

async function main(): Promise<void> {
  const mapped = mapRegion(REGION_FD);
  if (mapped.status !== Status.OK || mapped.region === undefined) {
    fail(`region: ${statusName(mapped.status)} ${'message' in mapped ? mapped.message : ''}`);
  }
  const doorbell = new Doorbell(DOORBELL_FD);
  const receiving = role === 'consume' || role === 'duplex';
  const sending = role === 'produce' || role === 'duplex';
  const consumer = new RingConsumer(mapped.region.commands);
  const producer = new RingProducer(mapped.region.events);
  const inWords = new Uint32Array(consumer.data.buffer, consumer.data.byteOffset, consumer.data.byteLength / 4);
  const outWords = new Uint32Array(producer.data.buffer, producer.data.byteOffset, producer.data.byteLength / 4);
  let received = 0;
  let sent = 0;
  let bytes = 0;
  let sleeps = 0;
  let blockedLength = 0;

  const receiveSome = (): boolean => {
    let count = 0;
    while (count < BATCH && received < total) {
      const status = consumer.peek();
      if (status === Status.EMPTY) break;
      if (status !== Status.OK) fail(`consumer: ${statusName(status)} at record ${received}`);
      const length = recordLength(seed, received, consumer.maxPayload);
      if (consumer.length !== length || consumer.type !== recordType(seed, received)) {
        mismatch(`record ${received}: length ${consumer.length} type ${consumer.type}, expected ${length} / ${recordType(seed, received)}`);
      }
      const bad = checkRecord(seed, received, consumer.data, inWords, consumer.offset, length);
      if (bad >= 0) mismatch(`record ${received}: byte ${bad} of ${length} differs (checksum mismatch)`);
      consumer.advance();
      bytes += length;
      received++;
      count++;
    }
    if (consumer.publish()) doorbell.ring();
    return count > 0;
  };

  const sendSome = (): boolean => {
    let count = 0;
    while (count < BATCH && sent < total) {
      const length = recordLength(seed, sent, producer.maxPayload);
      const status = producer.reserve(length);
      if (status === Status.FULL) {
        blockedLength = length;
        break;
      }
      if (status !== Status.OK) fail(`producer: ${statusName(status)} at record ${sent}`);
      const offset = producer.reservedOffset;
      fillRecord(seed, sent, producer.data, outWords, producer.view, offset, length);
      if (sent === corruptAt && length > 0) {
        const at = offset + (length >>> 1);
        producer.data[at] = (producer.data[at] ?? 0) ^ 0x40;
      }
      producer.commit(recordType(seed, sent));
      sent++;
      count++;
    }
    if (producer.publish()) doorbell.ring();
    return count > 0;
  };

  let rounds = 0;
  while ((receiving && received < total) || (sending && sent < total)) {
    let progress = false;
    if (sending && sent < total) progress = sendSome() || progress;
    if (receiving && received < total) progress = receiveSome() || progress;
    if (progress) {
      if (++rounds % 1024 === 0) await yieldToLoop(); // let stale doorbell bytes drain
      continue;
    }
    let mayWait = true;
    let slept = false;
    let waited = false;
    if (receiving && received < total) {
      slept = consumer.prepareSleep();
      mayWait = slept;
    }
    if (mayWait && sending && sent < total) {
      waited = producer.prepareWait(blockedLength);
      mayWait = waited;
    }
    if (mayWait) {
      sleeps++;
      const result = await doorbell.wait(STALL_MS);
      if (result !== 'rung') fail(`doorbell ${result} (received ${received}, sent ${sent})`);
    }
    if (slept) consumer.endSleep();
    if (waited) producer.endWait();
  }
  if (receiving && consumer.peek() !== Status.EMPTY) mismatch('records after the last expected one');
  process.stdout.write(
    `stress-child: role=${role} received=${received} sent=${sent} bytes=${bytes} sleeps=${sleeps} ` +
      `rings=${doorbell.rings} wakeups=${doorbell.wakeups}\n`,
  );
  doorbell.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const message = error instanceof StressFailure ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    // A negative control (a flipped byte on purpose) is expected to end here.
    const label = process.env.STRESS_NEGATIVE_CONTROL === '1' ? 'detected, as the negative control expects:' : 'FAIL';
    process.stderr.write(`stress-child: ${label} ${message}\n`);
    process.exit(error instanceof StressFailure ? error.code : 1);
  },
);
