import { describe, expect, it } from 'vitest';
import {
  RECORD_MAX_PAYLOAD,
  RECORD_TYPE_MAX,
  RECORD_TYPE_MESSAGE_FIRST,
  RING_DATA_SIZE_DEFAULT,
  RING_DATA_SIZE_MIN,
  RecordType,
  Status,
} from '../protocol/protocol.js';
import { type RingFixture, openRing, pattern, sameBytes } from './ring-fixture.js';
import { C_INDEX, P_INDEX, SLEEPING_INDEX, WAITING_INDEX, attachRing, ringMaxPayload } from './ring.js';

const TYPE_A = RECORD_TYPE_MESSAGE_FIRST + 1;
const TYPE_B = RECORD_TYPE_MESSAGE_FIRST + 2;

function put(f: RingFixture, seq: number, length: number): number {
  const status = f.producer.write(TYPE_A, pattern(seq, length));
  f.producer.publish();
  return status;
}

function take(f: RingFixture, seq: number, length: number): void {
  expect(f.consumer.peek()).toBe(Status.OK);
  expect(f.consumer.type).toBe(TYPE_A);
  expect(f.consumer.length).toBe(length);
  expect(f.consumer.offset % 8).toBe(0);
  expect(sameBytes(f.consumer.payload(), pattern(seq, length))).toBe(true);
  expect(f.consumer.advance()).toBe(Status.OK);
}

const p = (f: RingFixture): bigint => Atomics.load(f.positions, P_INDEX);
const c = (f: RingFixture): bigint => Atomics.load(f.positions, C_INDEX);

/** Two 96-byte records written, read and published: P = C = 192 in a 256-byte ring. */
function advanceTo192(f: RingFixture): void {
  expect(put(f, 100, 88)).toBe(Status.OK);
  expect(put(f, 101, 88)).toBe(Status.OK);
  take(f, 100, 88);
  take(f, 101, 88);
  f.consumer.publish();
  expect(c(f)).toBe(192n);
}

describe('ring attach', () => {
  it('rejects capacities that are not powers of two in range, and bad areas', () => {
    const buffer = new ArrayBuffer(4096);
    for (const capacity of [0, 32, 96, 1.5, 2 ** 31]) {
      expect(() => attachRing(buffer, 0, 1024, capacity)).toThrow(RangeError);
    }
    expect(() => attachRing(buffer, 4, 1024, 64)).toThrow(RangeError);
    expect(() => attachRing(buffer, 0, 4064, 64)).toThrow(RangeError);
    expect(attachRing(buffer, 0, 1024, 64).maxPayload).toBe(24);
  });

  it('derives the maximum payload from the capacity', () => {
    expect(ringMaxPayload(64)).toBe(24);
    expect(ringMaxPayload(4096)).toBe(2040);
    expect(ringMaxPayload(RING_DATA_SIZE_MIN)).toBe(RECORD_MAX_PAYLOAD);
    expect(ringMaxPayload(RING_DATA_SIZE_DEFAULT)).toBe(RECORD_MAX_PAYLOAD);
  });
});

describe('ring records', () => {
  it('is empty at first', () => {
    const f = openRing(256);
    expect(f.consumer.peek()).toBe(Status.EMPTY);
    expect(f.consumer.peek()).toBe(Status.EMPTY);
    expect(f.consumer.advance()).toBe(Status.INVALID_STATE);
    expect(f.consumer.publish()).toBe(false);
    expect(f.producer.publish()).toBe(false);
    expect(p(f)).toBe(0n);
  });

  it('delivers records in order with 8-byte aligned payloads', () => {
    const f = openRing(256);
    const lengths = [1, 8, 13, 7];
    lengths.forEach((length, seq) => expect(put(f, seq, length)).toBe(Status.OK));
    expect(p(f)).toBe(BigInt(16 + 16 + 24 + 16));
    lengths.forEach((length, seq) => take(f, seq, length));
    expect(f.consumer.peek()).toBe(Status.EMPTY);
  });

  it('carries zero-length payloads in 8 bytes', () => {
    const f = openRing(64);
    expect(f.producer.reserve(0)).toBe(Status.OK);
    expect(f.producer.commit(TYPE_B, 0)).toBe(Status.OK);
    expect(f.producer.write(TYPE_A, new Uint8Array(0))).toBe(Status.OK);
    f.producer.publish();
    expect(p(f)).toBe(16n);
    expect(f.consumer.peek()).toBe(Status.OK);
    expect([f.consumer.type, f.consumer.length]).toEqual([TYPE_B, 0]);
    f.consumer.advance();
    take(f, 0, 0);
    expect(f.consumer.peek()).toBe(Status.EMPTY);
  });

  it('peeks idempotently until advanced', () => {
    const f = openRing(256);
    put(f, 1, 5);
    put(f, 2, 9);
    expect(f.consumer.peek()).toBe(Status.OK);
    const offset = f.consumer.offset;
    expect(f.consumer.peek()).toBe(Status.OK);
    expect(f.consumer.offset).toBe(offset);
    expect(f.consumer.advance()).toBe(Status.OK);
    expect(f.consumer.advance()).toBe(Status.INVALID_STATE);
    take(f, 2, 9);
  });

  it('rejects commits out of order or with bad types and lengths', () => {
    const f = openRing(256);
    expect(f.producer.commit(TYPE_A, 0)).toBe(Status.INVALID_STATE);
    expect(f.producer.reserve(-1)).toBe(Status.INVALID_ARGUMENT);
    expect(f.producer.reserve(16)).toBe(Status.OK);
    expect(f.producer.commit(TYPE_A, 17)).toBe(Status.INVALID_ARGUMENT);
    expect(f.producer.commit(RecordType.INVALID)).toBe(Status.INVALID_ARGUMENT);
    expect(f.producer.commit(RecordType.PADDING)).toBe(Status.INVALID_ARGUMENT);
    expect(f.producer.commit(RECORD_TYPE_MAX + 1)).toBe(Status.INVALID_ARGUMENT);
    expect(f.producer.commit(RECORD_TYPE_MAX)).toBe(Status.OK);
    expect(f.producer.commit(TYPE_A)).toBe(Status.INVALID_STATE);
  });

  it('commits fewer bytes than reserved', () => {
    const f = openRing(256);
    expect(f.producer.reserve(100)).toBe(Status.OK);
    f.producer.data.set(pattern(7, 10), f.producer.reservedOffset);
    expect(f.producer.commit(TYPE_A, 10)).toBe(Status.OK);
    f.producer.publish();
    expect(p(f)).toBe(24n);
    take(f, 7, 10);
  });

  it('refuses a reservation larger than the maximum with TOO_LARGE', () => {
    const f = openRing(4096);
    expect(f.producer.reserve(2041)).toBe(Status.TOO_LARGE);
    expect(f.producer.reserve(2 ** 32)).toBe(Status.TOO_LARGE);
    expect(f.producer.commit(TYPE_A)).toBe(Status.INVALID_STATE);
    expect(put(f, 3, 2040)).toBe(Status.OK);
    take(f, 3, 2040);
  });

  it('carries maximum records around a default-size ring', () => {
    const f = openRing(RING_DATA_SIZE_DEFAULT);
    expect(f.producer.reserve(RECORD_MAX_PAYLOAD + 1)).toBe(Status.TOO_LARGE);
    const payload = pattern(9, RECORD_MAX_PAYLOAD);
    let produced = 0;
    let consumed = 0;
    for (let round = 0; round < 40; round++) {
      while (f.producer.write(TYPE_A, payload) === Status.OK) {
        f.producer.publish();
        produced++;
      }
      expect(f.consumer.peek()).toBe(Status.OK);
      expect(f.consumer.length).toBe(RECORD_MAX_PAYLOAD);
      expect(sameBytes(f.consumer.payload(), payload)).toBe(true);
      f.consumer.advance();
      consumed++;
      f.consumer.publish();
    }
    expect(produced).toBeGreaterThan(40);
    expect(consumed).toBe(40);
    expect(p(f)).toBeGreaterThan(2n * BigInt(RING_DATA_SIZE_DEFAULT));
  });
});

describe('ring space', () => {
  it('is FULL until the consumer publishes', () => {
    const f = openRing(256);
    for (let i = 0; i < 8; i++) expect(put(f, i, 24)).toBe(Status.OK);
    expect(f.producer.reserve(0)).toBe(Status.FULL);
    take(f, 0, 24);
    expect(f.producer.reserve(0)).toBe(Status.FULL);
    expect(f.consumer.publish()).toBe(false);
    expect(c(f)).toBe(32n);
    expect(put(f, 8, 24)).toBe(Status.OK);
    expect(f.producer.reserve(0)).toBe(Status.FULL);
    for (let i = 1; i <= 8; i++) take(f, i, 24);
  });

  it('publishes the consumer position once per batch', () => {
    const f = openRing(256);
    for (let i = 0; i < 5; i++) put(f, i, 4);
    for (let i = 0; i < 5; i++) {
      take(f, i, 4);
      expect(c(f)).toBe(0n);
    }
    f.consumer.publish();
    expect(c(f)).toBe(80n);
  });

  it('writes a padding record at the wrap', () => {
    const f = openRing(256);
    advanceTo192(f);
    expect(put(f, 1, 100)).toBe(Status.OK);
    expect(f.words[192 / 4]).toBe(56);
    expect(f.words[192 / 4 + 1]).toBe(RecordType.PADDING);
    expect(p(f)).toBe(192n + 64n + 112n);
    expect(f.consumer.peek()).toBe(Status.OK);
    expect(f.consumer.offset).toBe(8);
    take(f, 1, 100);
    f.consumer.publish();
    expect(c(f)).toBe(368n);
  });

  it('needs no padding for an exact fit at the end', () => {
    const f = openRing(256);
    advanceTo192(f);
    expect(f.producer.reserve(56)).toBe(Status.OK);
    expect(f.producer.reservedOffset).toBe(200);
    expect(put(f, 1, 56)).toBe(Status.OK);
    expect(p(f)).toBe(256n);
    take(f, 1, 56);
    put(f, 2, 3);
    expect(f.consumer.peek()).toBe(Status.OK);
    expect(f.consumer.offset).toBe(8);
  });

  it('counts the padding against free space', () => {
    const f = openRing(512);
    for (let i = 0; i < 3; i++) {
      put(f, i, 72);
      take(f, i, 72);
    }
    f.consumer.publish();
    for (let i = 3; i < 6; i++) expect(put(f, i, 72)).toBe(Status.OK);
    expect(f.producer.reserve(248)).toBe(Status.FULL);
    expect(f.producer.reserve(16)).toBe(Status.OK);
    take(f, 3, 72);
    f.consumer.publish();
    expect(put(f, 6, 248)).toBe(Status.OK);
    take(f, 4, 72);
    take(f, 5, 72);
    expect(f.consumer.peek()).toBe(Status.OK);
    expect(f.consumer.offset).toBe(8);
    take(f, 6, 248);
  });

  it('crosses 2^64 positions', () => {
    const f = openRing(256, 2n ** 64n - 256n);
    let seed = 12345;
    const lengths: number[] = [];
    let consumed = 0;
    while (consumed < 300) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const length = (seed >>> 16) % 121;
      if (lengths.length < 512 && put(f, lengths.length, length) === Status.OK) {
        lengths.push(length);
        continue;
      }
      take(f, consumed, lengths[consumed] ?? -1);
      consumed++;
      f.consumer.publish();
    }
    expect(p(f)).toBeLessThan(1_000_000n);
  });
});

describe('ring doorbell flags', () => {
  it('lets the producer claim a sleeping consumer once', () => {
    const f = openRing(256);
    expect(f.consumer.prepareSleep()).toBe(true);
    expect(Atomics.load(f.flags, SLEEPING_INDEX)).toBe(1);
    f.producer.write(TYPE_A, pattern(0, 1));
    expect(f.producer.publish()).toBe(true);
    expect(Atomics.load(f.flags, SLEEPING_INDEX)).toBe(0);
    f.producer.write(TYPE_A, pattern(1, 1));
    expect(f.producer.publish()).toBe(false);
    f.consumer.endSleep();
    expect(f.consumer.prepareSleep()).toBe(false);
    expect(Atomics.load(f.flags, SLEEPING_INDEX)).toBe(0);
    take(f, 0, 1);
    take(f, 1, 1);
    expect(f.consumer.peek()).toBe(Status.EMPTY);
    expect(f.consumer.prepareSleep()).toBe(false); // progress not published
    f.consumer.publish();
    expect(f.consumer.prepareSleep()).toBe(true);
  });

  it('lets the consumer claim a waiting producer once', () => {
    const f = openRing(256);
    expect(f.producer.prepareWait(24)).toBe(false);
    for (let i = 0; i < 8; i++) put(f, i, 24);
    expect(f.producer.prepareWait(24)).toBe(true);
    expect(Atomics.load(f.flags, WAITING_INDEX)).toBe(1);
    take(f, 0, 24);
    expect(f.consumer.publish()).toBe(true);
    expect(Atomics.load(f.flags, WAITING_INDEX)).toBe(0);
    f.producer.endWait();
    expect(f.producer.reserve(24)).toBe(Status.OK);
    expect(f.producer.commit(TYPE_A)).toBe(Status.OK);
    expect(f.producer.prepareWait(24)).toBe(false); // unpublished records
  });

  it('carries the consumer heartbeat', () => {
    const f = openRing(64);
    expect(f.producer.consumerHeartbeat()).toBe(0n);
    f.consumer.heartbeat(123456789);
    expect(f.producer.consumerHeartbeat()).toBe(123456789n);
  });
});

describe('ring corruption', () => {
  it('reports impossible producer positions, stickily', () => {
    for (const forged of [4n, 264n]) {
      const f = openRing(256);
      Atomics.store(f.positions, P_INDEX, forged);
      expect(f.consumer.peek()).toBe(Status.CORRUPT_POSITION);
      Atomics.store(f.positions, P_INDEX, 0n);
      expect(f.consumer.peek()).toBe(Status.CORRUPT_POSITION);
      expect(f.consumer.advance()).toBe(Status.CORRUPT_POSITION);
      expect(f.consumer.prepareSleep()).toBe(false);
    }
    const f = openRing(256);
    put(f, 0, 8);
    take(f, 0, 8);
    Atomics.store(f.positions, P_INDEX, 8n); // backwards
    expect(f.consumer.peek()).toBe(Status.CORRUPT_POSITION);
  });

  it('reports impossible consumer positions, stickily', () => {
    const f = openRing(256);
    for (let i = 0; i < 8; i++) put(f, i, 24);
    Atomics.store(f.positions, C_INDEX, 264n);
    expect(f.producer.reserve(8)).toBe(Status.CORRUPT_POSITION);
    Atomics.store(f.positions, C_INDEX, 32n);
    expect(f.producer.reserve(8)).toBe(Status.CORRUPT_POSITION);
    expect(f.producer.error).toBe(Status.CORRUPT_POSITION);
  });

  it('reports a record extending beyond the producer position', () => {
    const f = openRing(256);
    f.words[0] = 100;
    f.words[1] = TYPE_A;
    Atomics.store(f.positions, P_INDEX, 16n);
    expect(f.consumer.peek()).toBe(Status.TRUNCATED_RECORD);
    expect(f.consumer.peek()).toBe(Status.TRUNCATED_RECORD);
  });

  it('reports a record longer than the maximum even when it fits', () => {
    const f = openRing(4096);
    f.words[0] = 2041;
    f.words[1] = TYPE_A;
    Atomics.store(f.positions, P_INDEX, 2056n);
    expect(f.consumer.peek()).toBe(Status.CORRUPT_RECORD);
  });

  it('reports a padding record that does not end at the end of the data area', () => {
    const f = openRing(256);
    f.words[0] = 100;
    f.words[1] = RecordType.PADDING;
    Atomics.store(f.positions, P_INDEX, 256n);
    expect(f.consumer.peek()).toBe(Status.CORRUPT_RECORD);
  });
});
