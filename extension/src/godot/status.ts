// The closed set of results the core returns at its boundary, and the one
// place they become Godot Error codes (style.md item 6). Messages travel
// separately, as log events; nothing ever parses them.
import { GodotError } from './enums.generated.js';

export const Status = {
  OK: 0,
  /** A script argument or a remote's SDP/candidate is malformed. */
  INVALID_PARAMETER: 1,
  /** The object is not set up for this call (e.g. an offer without channels). */
  UNCONFIGURED: 2,
  /** The call is not allowed in the current state (closed, wrong phase). */
  WRONG_STATE: 3,
  /** The send path is full: nothing was sent, try again later. */
  BUSY: 4,
  /** Nothing to return (empty packet queue). */
  UNAVAILABLE: 5,
  /** No worker process could be started or it died. */
  NO_WORKER: 6,
  /** A synchronous call got no reply in time. */
  TIMEOUT: 7,
  /** A handle that names no live object. */
  STALE_HANDLE: 8,
  /** The WebRTC stack refused for a reason of its own (logged). */
  INTERNAL: 9,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

const TO_GODOT: Record<Status, GodotError> = {
  [Status.OK]: GodotError.OK,
  [Status.INVALID_PARAMETER]: GodotError.ERR_INVALID_PARAMETER,
  [Status.UNCONFIGURED]: GodotError.ERR_UNCONFIGURED,
  [Status.WRONG_STATE]: GodotError.FAILED,
  [Status.BUSY]: GodotError.ERR_BUSY,
  [Status.UNAVAILABLE]: GodotError.ERR_UNAVAILABLE,
  [Status.NO_WORKER]: GodotError.ERR_CANT_CONNECT,
  [Status.TIMEOUT]: GodotError.ERR_TIMEOUT,
  [Status.STALE_HANDLE]: GodotError.ERR_DOES_NOT_EXIST,
  [Status.INTERNAL]: GodotError.FAILED,
};

export function toGodotError(status: Status): GodotError {
  return TO_GODOT[status];
}
