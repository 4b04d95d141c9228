/**
 * The worker side of the bridge, as one entry point (bundled by bridge/Makefile to
 * node/build/bridge-node.mjs for scripts that run plain JavaScript, e.g. the benchmark).
 */
export {
  DOORBELL_FD,
  ENV_SHM_ADDON,
  MAGIC,
  REGION_FD,
  RECORD_MAX_PAYLOAD,
  RECORD_TYPE_MESSAGE_FIRST,
  RING_DATA_SIZE_DEFAULT,
  RingIndex,
  Status,
  VERSION,
  statusName,
} from '../protocol/protocol.js';
export { formatRegion, regionRing, regionSize, validateRegion } from '../ring/region.js';
export { RingConsumer, RingProducer, attachRing, ringMaxPayload } from '../ring/ring.js';
export type { RingView } from '../ring/ring.js';
export { Doorbell } from './doorbell.js';
export type { WaitResult } from './doorbell.js';
export { mapRegion } from './map-region.js';
export type { MapRegionResult, MappedRegion } from './map-region.js';
export { loadShmAddon } from './shm.js';
export type { ShmAddon } from './shm.js';
