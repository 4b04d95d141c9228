// A well-formed remote description the stack cannot read as written, made
// readable without changing what it means. RFC 8841 §6 puts no upper bound on
// a=max-message-size (1*DIGIT), but libdatachannel reads it into a 64-bit
// size_t and refuses the whole description above that ("Invalid integer").
// Any such size is beyond what could ever be sent, so it becomes the largest
// the stack reads: the same "no practical limit".

/** The largest a=max-message-size libdatachannel reads: 2^64 - 1 (a 64-bit size_t). */
export const STACK_MESSAGE_SIZE_MAX = 18446744073709551615n;

const MAX_MESSAGE_SIZE_LINE = /^(a=max-message-size:)(\d+)/gm;

/** `sdp` as the stack should get it; unchanged unless a value above is out of its range. */
export function toStackSdp(sdp: string): string {
  return sdp.replace(MAX_MESSAGE_SIZE_LINE, (line: string, name: string, digits: string) =>
    BigInt(digits) > STACK_MESSAGE_SIZE_MAX ? `${name}${STACK_MESSAGE_SIZE_MAX}` : line,
  );
}
