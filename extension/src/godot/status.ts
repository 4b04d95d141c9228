// The closed set of results the core returns at its boundary, and the one
// place they become Godot Error codes (docs/style.md item 6). Both come from
// bridge/protocol/protocol.json, the bridge's one definition, so the worker,
// the C client and this core share them. Messages travel separately, as log
// events; nothing ever parses them.
import { CORE_STATUS_GODOT_ERROR, CoreStatus } from '../../../bridge/protocol/protocol.js';
import type { GodotError } from './enums.generated.js';

export const Status = CoreStatus;
export type Status = CoreStatus;

export function toGodotError(status: Status): GodotError {
  return CORE_STATUS_GODOT_ERROR[status] as GodotError;
}
