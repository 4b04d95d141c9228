/**
 * Stress records, identical to bridge/ring/tests/records.h: record seq's length, type and
 * every payload byte derive from (seed, seq), so the consumer recomputes and compares all of
 * them. Payloads of 8+ bytes start with a stamp (seq, length ^ 0xA5A5A5A5); payloads of 12+
 * bytes end with a guard word (0x5AFEC0DE ^ seq). Every 4096th record has the maximum
 * length, the next one 0.
 */
import { RECORD_TYPE_MESSAGE_FIRST } from '../protocol/protocol.js';

function mix(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function key(seed: number, seq: number): number {
  return mix((seed ^ Math.imul(seq, 0x9e3779b1)) >>> 0);
}

function word(k: number, j: number): number {
  return mix((k + Math.imul(j, 0x9e3779b1)) >>> 0);
}

export function recordLength(seed: number, seq: number, max: number): number {
  if (seq % 4096 === 1) return max;
  if (seq % 4096 === 2) return 0;
  const k = key(seed, seq);
  const r = k % 1000;
  const v = mix((k ^ 0x5bd1e995) >>> 0);
  if (r < 700) return v % 257;
  if (r < 950) return v % 2049;
  if (r < 999) return v % 16385;
  return v % (max + 1);
}

export function recordType(seed: number, seq: number): number {
  return RECORD_TYPE_MESSAGE_FIRST + (mix((key(seed, seq) ^ 0x27d4eb2f) >>> 0) % 1000);
}

/**
 * Write record seq's payload at `offset` of `bytes` (`words` views the same memory as u32,
 * `view` as a DataView; `offset` must be 4-byte aligned).
 */
export function fillRecord(
  seed: number,
  seq: number,
  bytes: Uint8Array,
  words: Uint32Array,
  view: DataView,
  offset: number,
  length: number,
): void {
  const k = key(seed, seq);
  const full = length >>> 2;
  const base = offset >>> 2;
  for (let j = 0; j < full; j++) words[base + j] = word(k, j);
  const rest = length & 3;
  if (rest !== 0) {
    const w = word(k, full);
    for (let b = 0; b < rest; b++) bytes[offset + 4 * full + b] = (w >>> (8 * b)) & 0xff;
  }
  if (length >= 8) {
    view.setUint32(offset, seq >>> 0, true);
    view.setUint32(offset + 4, (length ^ 0xa5a5a5a5) >>> 0, true);
  }
  if (length >= 12) view.setUint32(offset + length - 4, (0x5afec0de ^ seq) >>> 0, true);
}

function expectedByte(k: number, seq: number, length: number, i: number): number {
  let w: number;
  let shift: number;
  if (length >= 8 && i < 8) {
    w = i < 4 ? seq >>> 0 : (length ^ 0xa5a5a5a5) >>> 0;
    shift = i & 3;
  } else if (length >= 12 && i >= length - 4) {
    w = (0x5afec0de ^ seq) >>> 0;
    shift = i - (length - 4);
  } else {
    w = word(k, i >>> 2);
    shift = i & 3;
  }
  return (w >>> (8 * shift)) & 0xff;
}

/** Index of the first wrong byte of the payload at `offset`, or -1 if it is exactly record seq's. */
export function checkRecord(
  seed: number,
  seq: number,
  bytes: Uint8Array,
  words: Uint32Array,
  offset: number,
  length: number,
): number {
  const k = key(seed, seq);
  const lo = length >= 8 ? 2 : 0;
  const hi = length >= 12 ? (length - 4) >>> 2 : length >>> 2;
  const base = offset >>> 2;
  for (let j = lo; j < hi; j++) {
    if (words[base + j] !== word(k, j)) {
      for (let i = 4 * j; ; i++) if (bytes[offset + i] !== expectedByte(k, seq, length, i)) return i;
    }
  }
  for (let i = 0; i < length; i++) {
    if (i === 4 * lo && hi > lo) {
      i = 4 * hi;
      if (i >= length) break;
    }
    if (bytes[offset + i] !== expectedByte(k, seq, length, i)) return i;
  }
  return -1;
}
