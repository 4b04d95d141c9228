/** Test helper: a ring in a plain ArrayBuffer sized exactly, with both ends attached. */
import { RING_CONTROL_SIZE } from '../protocol/protocol.js';
import { RingConsumer, RingProducer, attachRing, formatRing, type RingView } from './ring.js';

export interface RingFixture {
  readonly ring: RingView;
  readonly producer: RingProducer;
  readonly consumer: RingConsumer;
  readonly positions: BigUint64Array;
  readonly flags: Int32Array;
  readonly words: Uint32Array;
}

export function openRing(capacity: number, start = 0n): RingFixture {
  const buffer = new ArrayBuffer(RING_CONTROL_SIZE + capacity);
  const ring = attachRing(buffer, 0, RING_CONTROL_SIZE, capacity);
  new Uint8Array(buffer, RING_CONTROL_SIZE).fill(0xee);
  formatRing(ring, start);
  return {
    ring,
    producer: new RingProducer(ring),
    consumer: new RingConsumer(ring),
    positions: new BigUint64Array(buffer, 0, RING_CONTROL_SIZE / 8),
    flags: new Int32Array(buffer, 0, RING_CONTROL_SIZE / 4),
    words: new Uint32Array(buffer, RING_CONTROL_SIZE, capacity / 4),
  };
}

/** Deterministic payload byte i of record seq (same formula as tests/fixture.h). */
export function patternByte(seq: number, i: number): number {
  let x = (Math.imul(seq, 2654435761) ^ Math.imul(i, 2246822519)) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  return Math.imul(x, 3266489917) >>> 24;
}

export function pattern(seq: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = patternByte(seq, i);
  return out;
}

/** Byte equality without vitest's slow deep comparison of large arrays. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
