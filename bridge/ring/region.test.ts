import { describe, expect, it } from 'vitest';
import {
  FEATURES_KNOWN,
  FEATURES_REQUIRED,
  PAGE_SIZE,
  RECORD_MAX_PAYLOAD,
  REGION_CONTROL_OFFSET,
  REGION_DATA_OFFSET,
  REGION_HEADER_SIZE,
  RING_CONTROL_SIZE,
  RING_DATA_SIZE_DEFAULT,
  RING_DATA_SIZE_MAX,
  RING_DESCRIPTOR_SIZE,
  RegionHeaderOffset,
  RingDescriptorOffset,
  RingIndex,
  Status,
} from '../protocol/protocol.js';
import { formatRegion, regionRing, regionSize, validateRegion } from './region.js';

const MIB = 1024 * 1024;

function formatted(commands = MIB, events = MIB): { buffer: ArrayBuffer; header: DataView } {
  const buffer = new ArrayBuffer(regionSize(commands, events));
  expect(formatRegion(buffer, commands, events)).toBe(Status.OK);
  return { buffer, header: new DataView(buffer, 0, REGION_HEADER_SIZE) };
}

const ring = (i: number, field: number): number => RegionHeaderOffset.rings + i * RING_DESCRIPTOR_SIZE + field;

describe('region layout', () => {
  it('computes canonical sizes and rejects bad data sizes', () => {
    expect(regionSize(RING_DATA_SIZE_DEFAULT, RING_DATA_SIZE_DEFAULT)).toBe(REGION_DATA_OFFSET + 2 * RING_DATA_SIZE_DEFAULT);
    expect(regionSize(MIB, 2 * MIB)).toBe(REGION_DATA_OFFSET + 3 * MIB);
    expect(regionSize(MIB / 2, MIB)).toBe(0);
    expect(regionSize(3 * MIB, MIB)).toBe(0);
    expect(regionSize(MIB, 2 * RING_DATA_SIZE_MAX)).toBe(0);
  });

  it('formats a header that validates and describes both rings', () => {
    const { buffer, header } = formatted(MIB, 2 * MIB);
    expect(validateRegion(buffer)).toBe(Status.OK);
    expect(header.getBigUint64(ring(RingIndex.EVENTS, RingDescriptorOffset.data_offset), true)).toBe(
      BigInt(REGION_DATA_OFFSET + MIB),
    );
    const events = regionRing(buffer, RingIndex.EVENTS);
    expect(events.capacity).toBe(2 * MIB);
    expect(events.maxPayload).toBe(RECORD_MAX_PAYLOAD);
    expect(events.controlOffset).toBe(REGION_CONTROL_OFFSET + RING_CONTROL_SIZE);
    expect(formatRegion(new ArrayBuffer(regionSize(MIB, MIB) - 1), MIB, MIB)).toBe(Status.INVALID_ARGUMENT);
    expect(formatRegion(buffer, MIB, 2 * MIB, FEATURES_KNOWN & ~FEATURES_REQUIRED)).toBe(Status.INVALID_ARGUMENT);
  });

  const cases: ReadonlyArray<readonly [string, Status, (h: DataView, size: number) => void]> = [
    ['magic', Status.BAD_MAGIC, (h) => h.setUint32(RegionHeaderOffset.magic, h.getUint32(0, true) ^ 1, true)],
    ['version', Status.BAD_VERSION, (h) => h.setUint32(RegionHeaderOffset.version, 2, true)],
    ['unknown feature', Status.BAD_FEATURES, (h) => h.setBigUint64(RegionHeaderOffset.features, 1n << 40n | 3n, true)],
    ['missing required feature', Status.BAD_FEATURES, (h) => h.setBigUint64(RegionHeaderOffset.features, 2n, true)],
    ['header size', Status.BAD_LAYOUT, (h) => h.setUint32(RegionHeaderOffset.header_size, 2048, true)],
    ['ring count', Status.BAD_LAYOUT, (h) => h.setUint32(RegionHeaderOffset.ring_count, 3, true)],
    ['region larger than mapping', Status.BAD_LAYOUT, (h, size) => h.setBigUint64(RegionHeaderOffset.region_size, BigInt(size + PAGE_SIZE), true)],
    ['data size not a power of two', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.data_size), BigInt(MIB + PAGE_SIZE), true)],
    ['data size below minimum', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.data_size), BigInt(MIB / 2), true)],
    ['overlapping data areas', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.data_offset), BigInt(REGION_DATA_OFFSET), true)],
    ['control inside header', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(0, RingDescriptorOffset.control_offset), 1024n, true)],
    ['misaligned control', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(0, RingDescriptorOffset.control_offset), BigInt(REGION_CONTROL_OFFSET + 8), true)],
    ['data beyond region', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.data_offset), BigInt(REGION_DATA_OFFSET + MIB + PAGE_SIZE), true)],
    ['offset overflow', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.data_offset), 2n ** 64n - BigInt(PAGE_SIZE), true)],
    ['control overlaps data', Status.BAD_LAYOUT, (h) => h.setBigUint64(ring(1, RingDescriptorOffset.control_offset), BigInt(REGION_DATA_OFFSET), true)],
  ];

  it.each(cases)('rejects a header with a bad %s', (_name, expected, breakIt) => {
    const { buffer, header } = formatted();
    breakIt(header, buffer.byteLength);
    expect(validateRegion(buffer)).toBe(expected);
    expect(() => regionRing(buffer, RingIndex.COMMANDS)).toThrow(RangeError);
  });

  it('rejects mappings smaller than the header or the region', () => {
    const { buffer } = formatted();
    expect(validateRegion(buffer, REGION_HEADER_SIZE - 8)).toBe(Status.BAD_LAYOUT);
    expect(validateRegion(buffer, 2)).toBe(Status.BAD_LAYOUT);
    expect(validateRegion(buffer, buffer.byteLength - 1)).toBe(Status.BAD_LAYOUT);
  });
});
