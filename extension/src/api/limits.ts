// Memory bounds of the Godot-facing side, per data channel (semantics.md,
// "Receive memory"). One place, so the README and the C client quote the same.

/** Unread received bytes a channel may hold before its overflow policy acts. */
export const RECEIVE_LIMIT_BYTES = 16 * 1024 * 1024;
/** Bytes accepted by put_packet and not yet on the network before ERR_BUSY. */
export const SEND_LIMIT_BYTES = 16 * 1024 * 1024;
