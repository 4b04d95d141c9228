// Memory bounds of the Godot-facing side, per data channel (docs/semantics.md,
// "Receive memory"). Defined once, in bridge/protocol/protocol.json, so the
// README, this facade and the C client quote the same numbers.
export { RECEIVE_LIMIT_BYTES, SEND_LIMIT_BYTES } from '../../../bridge/protocol/protocol.js';
