/**
 * Fuzz the TypeScript decoder (consumer) and the producer's view of the consumer with
 * corrupted and truncated records, like tests/test_fuzz.c: random lengths and types,
 * misaligned lengths, positions beyond the producer or behind the consumer, flipped bytes.
 * Every status must be in the closed set, every record handed out must lie inside the data
 * area and before the producer position, and nothing may throw. Deterministic (seeded).
 */
import { describe, expect, it } from 'vitest';
import { RECORD_TYPE_MESSAGE_FIRST, RecordType, Status } from '../protocol/protocol.js';
import { type RingFixture, openRing } from './ring-fixture.js';
import { C_INDEX, P_INDEX } from './ring.js';

const ITERATIONS = 20_000;
const TYPE_A = RECORD_TYPE_MESSAGE_FIRST + 5;

/** xorshift128+ on BigInt-free 32-bit halves: deterministic and fast enough. */
class Random {
  #a: number;
  #b: number;
  constructor(seed: number) {
    this.#a = seed >>> 0 || 1;
    this.#b = 0x9e3779b9;
  }
  next(): number {
    let s1 = this.#a;
    const s0 = this.#b;
    this.#a = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0 ^ (s0 >>> 26);
    this.#b = s1 >>> 0;
    return (this.#a + this.#b) >>> 0;
  }
  below(bound: number): number {
    return this.next() % bound;
  }
}

const rng = new Random(20261122);
const consumerStatuses = new Set<number>([
  Status.OK,
  Status.EMPTY,
  Status.CORRUPT_POSITION,
  Status.CORRUPT_RECORD,
  Status.TRUNCATED_RECORD,
]);
const producerStatuses = new Set<number>([Status.OK, Status.FULL, Status.TOO_LARGE, Status.CORRUPT_POSITION]);

function warmUp(f: RingFixture): void {
  const rounds = rng.below(12);
  for (let i = 0; i < rounds; i++) {
    const length = rng.below(f.producer.maxPayload + 1);
    if (f.producer.reserve(length) === Status.OK) {
      f.producer.data.fill(i, f.producer.reservedOffset, f.producer.reservedOffset + length);
      f.producer.commit(TYPE_A + rng.below(100));
      f.producer.publish();
    }
    if (rng.below(2) === 0) {
      while (f.consumer.peek() === Status.OK && rng.below(4) !== 0) f.consumer.advance();
      f.consumer.publish();
    }
  }
}

function randomLength(max: number): number {
  switch (rng.below(6)) {
    case 0:
      return rng.next();
    case 1:
      return max + 1 + rng.below(16);
    case 2:
      return rng.below(max + 1) | 1;
    case 3:
      return 0;
    default:
      return rng.below(max + 1);
  }
}

function randomType(): number {
  switch (rng.below(5)) {
    case 0:
      return RecordType.INVALID;
    case 1:
      return RecordType.PADDING;
    case 2:
      return rng.next();
    default:
      return TYPE_A;
  }
}

function corrupt(f: RingFixture): void {
  const capacity = f.ring.capacity;
  const mask = BigInt(capacity - 1);
  const p = Atomics.load(f.positions, P_INDEX) & ~7n;
  const bytes = new Uint8Array(f.words.buffer, f.words.byteOffset, capacity);
  switch (rng.below(6)) {
    case 0: {
      const n = 1 + rng.below(8);
      for (let i = 0; i < n; i++) {
        const at = rng.below(capacity);
        bytes[at] = (bytes[at] ?? 0) ^ (1 << rng.below(8));
      }
      break;
    }
    case 1: {
      const at = rng.below(capacity / 8) * 2;
      f.words[at] = randomLength(f.ring.maxPayload);
      f.words[at + 1] = randomType();
      break;
    }
    case 2: {
      const forged = [
        BigInt(rng.next()) * 2n ** 32n + BigInt(rng.next()),
        p + BigInt(1 + rng.below(7)),
        p + BigInt(capacity + 8 * (1 + rng.below(4))),
        p - 8n,
      ];
      Atomics.store(f.positions, P_INDEX, BigInt.asUintN(64, forged[rng.below(4)] ?? 0n));
      break;
    }
    case 3: {
      const index = Number(p & mask);
      const room = capacity - index;
      f.words[index / 4] = rng.below(room);
      f.words[index / 4 + 1] = TYPE_A;
      Atomics.store(f.positions, P_INDEX, BigInt.asUintN(64, p + BigInt(8 * rng.below(room / 8 + 1))));
      break;
    }
    case 4: {
      const consumed = Atomics.load(f.positions, C_INDEX);
      const index = Number(consumed & mask & ~7n);
      f.words[index / 4] = randomLength(capacity);
      f.words[index / 4 + 1] = randomType();
      break;
    }
    default: {
      const consumed = Atomics.load(f.positions, C_INDEX);
      const forged = [BigInt(rng.next()) * 2n ** 32n, consumed + 4n, p + 8n, consumed - 8n];
      Atomics.store(f.positions, C_INDEX, BigInt.asUintN(64, forged[rng.below(4)] ?? 0n));
    }
  }
}

interface Counts {
  records: number;
  byStatus: number[];
}

function drain(f: RingFixture, counts: Counts): void {
  for (let step = 0; step < 64; step++) {
    const status = f.consumer.peek();
    if (!consumerStatuses.has(status)) throw new Error(`consumer returned ${status}`);
    if (status !== Status.OK) {
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      if (status !== Status.EMPTY) {
        if (f.consumer.peek() !== status) throw new Error('error not sticky');
        if (f.consumer.prepareSleep()) throw new Error('slept on a corrupt ring');
      }
      return;
    }
    const { offset, length } = f.consumer;
    if (offset < 8 || offset + length > f.ring.capacity || offset % 8 !== 0) {
      throw new Error(`record [${offset}, +${length}) outside the data area`);
    }
    if (f.consumer.payload().byteLength !== length) throw new Error('payload view truncated by the typed array');
    f.consumer.advance();
    counts.records++;
    if (rng.below(3) === 0) f.consumer.publish();
  }
}

function produce(f: RingFixture, counts: Counts): void {
  for (let step = 0; step < 8; step++) {
    const length = rng.below(f.producer.maxPayload + 2);
    const status = f.producer.reserve(length);
    if (!producerStatuses.has(status)) throw new Error(`producer returned ${status}`);
    if (status !== Status.OK) {
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
      return;
    }
    const offset = f.producer.reservedOffset;
    if (offset + length > f.ring.capacity) throw new Error('reservation outside the data area');
    f.producer.data.fill(0xab, offset, offset + length);
    if (f.producer.commit(TYPE_A) !== Status.OK) throw new Error('commit failed');
    f.producer.publish();
  }
}

describe('ring decoder fuzz', () => {
  it('returns a status, never throws, never hands out bytes outside the ring', () => {
    const consumer: Counts = { records: 0, byStatus: [] };
    const producer: Counts = { records: 0, byStatus: [] };
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const capacity = 64 << rng.below(7);
      const start = rng.below(4) === 0 ? 2n ** 64n - 8n * BigInt(rng.below(64)) : BigInt(rng.next()) * 8n;
      const f = openRing(capacity, BigInt.asUintN(64, start));
      warmUp(f);
      const corruptions = 1 + rng.below(3);
      for (let i = 0; i < corruptions; i++) corrupt(f);
      if (rng.below(2) === 0) {
        drain(f, consumer);
        produce(f, producer);
      } else {
        produce(f, producer);
        drain(f, consumer);
      }
    }
    // The fuzzer must reach every detection path, or it proves nothing.
    expect(consumer.byStatus[Status.CORRUPT_POSITION]).toBeGreaterThan(100);
    expect(consumer.byStatus[Status.CORRUPT_RECORD]).toBeGreaterThan(100);
    expect(consumer.byStatus[Status.TRUNCATED_RECORD]).toBeGreaterThan(100);
    expect(producer.byStatus[Status.CORRUPT_POSITION]).toBeGreaterThan(100);
    expect(consumer.records).toBeGreaterThan(1000);
  });
});
