/**
 * The shared-memory region: one header page, two ring control areas, two data areas
 * (layout in bridge/protocol/protocol.json). Mirrors region.c: the same checks in the same
 * order, so both sides give the same status for the same header.
 */
import {
  CONTROL_BLOCK_SIZE,
  FEATURES_KNOWN,
  FEATURES_REQUIRED,
  MAGIC,
  PAGE_SIZE,
  REGION_CONTROL_OFFSET,
  REGION_DATA_OFFSET,
  REGION_HEADER_SIZE,
  RING_CONTROL_SIZE,
  RING_COUNT,
  RING_DATA_SIZE_MAX,
  RING_DATA_SIZE_MIN,
  RING_DESCRIPTOR_SIZE,
  RegionHeaderOffset,
  RingDescriptorOffset,
  type RingIndex,
  Status,
  VERSION,
  statusName,
} from '../protocol/protocol.js';
import { attachRing, formatRing, type RingView } from './ring.js';

function dataSizeOk(size: bigint): boolean {
  return size >= BigInt(RING_DATA_SIZE_MIN) && size <= BigInt(RING_DATA_SIZE_MAX) && (size & (size - 1n)) === 0n;
}

/** Bytes of a canonical region with these data sizes, or 0 if a size is not allowed. */
export function regionSize(commandsSize: number, eventsSize: number): number {
  if (!Number.isInteger(commandsSize) || !Number.isInteger(eventsSize)) return 0;
  if (!dataSizeOk(BigInt(commandsSize)) || !dataSizeOk(BigInt(eventsSize))) return 0;
  return REGION_DATA_OFFSET + commandsSize + eventsSize;
}

function descriptorAt(index: number): number {
  return RegionHeaderOffset.rings + index * RING_DESCRIPTOR_SIZE;
}

/**
 * Write a canonical header and zeroed control areas into a zero-filled buffer (the C side
 * does this in production; TypeScript does it in tests). The magic is stored last.
 */
export function formatRegion(
  buffer: ArrayBufferLike,
  commandsSize: number,
  eventsSize: number,
  features: number = FEATURES_KNOWN,
): Status {
  const size = regionSize(commandsSize, eventsSize);
  if (size === 0 || size > buffer.byteLength || (features & ~FEATURES_KNOWN) !== 0) return Status.INVALID_ARGUMENT;
  if ((features & FEATURES_REQUIRED) !== FEATURES_REQUIRED) return Status.INVALID_ARGUMENT;
  new Uint8Array(buffer, 0, REGION_HEADER_SIZE).fill(0);
  const header = new DataView(buffer, 0, REGION_HEADER_SIZE);
  header.setUint32(RegionHeaderOffset.version, VERSION, true);
  header.setBigUint64(RegionHeaderOffset.features, BigInt(features), true);
  header.setBigUint64(RegionHeaderOffset.region_size, BigInt(size), true);
  header.setUint32(RegionHeaderOffset.header_size, REGION_HEADER_SIZE, true);
  header.setUint32(RegionHeaderOffset.ring_count, RING_COUNT, true);
  const dataSizes = [commandsSize, eventsSize];
  let dataOffset = REGION_DATA_OFFSET;
  for (let i = 0; i < RING_COUNT; i++) {
    const at = descriptorAt(i);
    const controlOffset = REGION_CONTROL_OFFSET + i * RING_CONTROL_SIZE;
    const dataSize = dataSizes[i] ?? 0;
    header.setBigUint64(at + RingDescriptorOffset.control_offset, BigInt(controlOffset), true);
    header.setBigUint64(at + RingDescriptorOffset.data_offset, BigInt(dataOffset), true);
    header.setBigUint64(at + RingDescriptorOffset.data_size, BigInt(dataSize), true);
    new Uint8Array(buffer, controlOffset, RING_CONTROL_SIZE).fill(0);
    formatRing(attachRing(buffer, controlOffset, dataOffset, dataSize));
    dataOffset += dataSize;
  }
  header.setUint32(RegionHeaderOffset.magic, MAGIC, true);
  return Status.OK;
}

interface Area {
  readonly offset: bigint;
  readonly size: bigint;
}

function inside(area: Area, limit: bigint): boolean {
  return area.offset <= limit && area.size <= limit - area.offset;
}

function overlap(a: Area, b: Area): boolean {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/**
 * Check a mapped region's header: magic, version, features, and that every area is
 * aligned, inside the region, inside the mapping and disjoint from the others. Reads only
 * [0, min(mappedSize, REGION_HEADER_SIZE)).
 */
export function validateRegion(buffer: ArrayBufferLike, mappedSize: number = buffer.byteLength): Status {
  const mapped = Math.min(mappedSize, buffer.byteLength);
  if (mapped < 4) return Status.BAD_LAYOUT;
  const header = new DataView(buffer, 0, Math.min(mapped, REGION_HEADER_SIZE));
  if (header.getUint32(RegionHeaderOffset.magic, true) !== MAGIC) return Status.BAD_MAGIC;
  if (mapped < REGION_HEADER_SIZE) return Status.BAD_LAYOUT;
  if (header.getUint32(RegionHeaderOffset.version, true) !== VERSION) return Status.BAD_VERSION;
  const features = header.getBigUint64(RegionHeaderOffset.features, true);
  const required = BigInt(FEATURES_REQUIRED);
  if ((features & ~BigInt(FEATURES_KNOWN)) !== 0n || (features & required) !== required) return Status.BAD_FEATURES;
  const size = header.getBigUint64(RegionHeaderOffset.region_size, true);
  if (
    header.getUint32(RegionHeaderOffset.header_size, true) !== REGION_HEADER_SIZE ||
    header.getUint32(RegionHeaderOffset.ring_count, true) !== RING_COUNT ||
    size > BigInt(mapped) ||
    size < BigInt(REGION_HEADER_SIZE)
  ) {
    return Status.BAD_LAYOUT;
  }
  const areas: Area[] = [{ offset: 0n, size: BigInt(REGION_HEADER_SIZE) }];
  for (let i = 0; i < RING_COUNT; i++) {
    const at = descriptorAt(i);
    const control = {
      offset: header.getBigUint64(at + RingDescriptorOffset.control_offset, true),
      size: BigInt(RING_CONTROL_SIZE),
    };
    const data = {
      offset: header.getBigUint64(at + RingDescriptorOffset.data_offset, true),
      size: header.getBigUint64(at + RingDescriptorOffset.data_size, true),
    };
    if (
      control.offset % BigInt(CONTROL_BLOCK_SIZE) !== 0n ||
      data.offset % BigInt(PAGE_SIZE) !== 0n ||
      !dataSizeOk(data.size) ||
      !inside(control, size) ||
      !inside(data, size)
    ) {
      return Status.BAD_LAYOUT;
    }
    areas.push(control, data);
  }
  for (let i = 0; i < areas.length; i++) {
    for (let j = i + 1; j < areas.length; j++) {
      const a = areas[i];
      const b = areas[j];
      if (a !== undefined && b !== undefined && overlap(a, b)) return Status.BAD_LAYOUT;
    }
  }
  return Status.OK;
}

/** Describe ring `index` of a region; throws RangeError naming the status if the header is bad. */
export function regionRing(buffer: ArrayBufferLike, index: RingIndex, mappedSize: number = buffer.byteLength): RingView {
  const status = validateRegion(buffer, mappedSize);
  if (status !== Status.OK) throw new RangeError(`bridge region: ${statusName(status)}`);
  const header = new DataView(buffer, 0, REGION_HEADER_SIZE);
  const at = descriptorAt(index);
  return attachRing(
    buffer,
    Number(header.getBigUint64(at + RingDescriptorOffset.control_offset, true)),
    Number(header.getBigUint64(at + RingDescriptorOffset.data_offset, true)),
    Number(header.getBigUint64(at + RingDescriptorOffset.data_size, true)),
  );
}
