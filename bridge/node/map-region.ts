/**
 * The worker's side of region setup: map the descriptor the Godot process passed, validate
 * the header, describe both rings. Returns a status (and a log message), never throws.
 */
import { RingIndex, Status, statusName } from '../protocol/protocol.js';
import { regionRing, validateRegion } from '../ring/region.js';
import type { RingView } from '../ring/ring.js';
import { type ShmAddon, loadShmAddon } from './shm.js';

export interface MappedRegion {
  readonly buffer: ArrayBuffer;
  /** Godot to worker: the worker consumes. */
  readonly commands: RingView;
  /** Worker to Godot: the worker produces. */
  readonly events: RingView;
}

export type MapRegionResult =
  | { readonly status: typeof Status.OK; readonly region: MappedRegion }
  | { readonly status: Status; readonly region?: undefined; readonly message: string };

/** Map and validate the region behind `fd`. SYSTEM if it cannot be mapped, BAD_* if the header is wrong. */
export function mapRegion(fd: number, addon?: ShmAddon): MapRegionResult {
  let buffer: ArrayBuffer;
  try {
    buffer = (addon ?? loadShmAddon()).map(fd);
  } catch (error) {
    return { status: Status.SYSTEM, message: error instanceof Error ? error.message : String(error) };
  }
  const status = validateRegion(buffer);
  if (status !== Status.OK) {
    return { status, message: `bridge: region on fd ${fd} rejected: ${statusName(status)}` };
  }
  return {
    status: Status.OK,
    region: {
      buffer,
      commands: regionRing(buffer, RingIndex.COMMANDS),
      events: regionRing(buffer, RingIndex.EVENTS),
    },
  };
}
