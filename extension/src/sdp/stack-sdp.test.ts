// Issue 9: a well-formed answer whose a=max-message-size is above 2^64 - 1 was
// refused ("Invalid integer" from libdatachannel). The stack now gets the
// largest value it reads, which means the same: no practical limit.
import { describe, expect, it } from 'vitest';
import { checkSdp } from './sdp.js';
import { CHROMIUM_ANSWER, replaceLine } from './sdp-samples.js';
import { STACK_MESSAGE_SIZE_MAX, toStackSdp } from './stack-sdp.js';

const withSize = (size: string) => replaceLine(CHROMIUM_ANSWER, 'a=max-message-size:262144', `a=max-message-size:${size}`);

describe('issue 9: a=max-message-size above what the stack reads', () => {
  it('is well-formed (RFC 8841 §6: 1*DIGIT, no upper bound)', () => {
    expect(checkSdp(withSize('18446744073709551616'))).toMatchObject({ ok: true });
    expect(checkSdp(withSize('9'.repeat(40)))).toMatchObject({ ok: true });
  });

  it('reaches the stack as 2^64 - 1, every other line as it was', () => {
    expect(toStackSdp(withSize('18446744073709551616'))).toBe(withSize(String(STACK_MESSAGE_SIZE_MAX)));
    expect(toStackSdp(withSize('9'.repeat(40)))).toBe(withSize('18446744073709551615'));
  });

  it('sizes the stack reads are left alone, leading zeros and LF endings included', () => {
    for (const size of ['0', '262144', '1073741823', '18446744073709551615', '000262144']) expect(toStackSdp(withSize(size))).toBe(withSize(size));
    const lf = withSize('18446744073709551616').replace(/\r\n/g, '\n');
    expect(toStackSdp(lf)).toBe(withSize('18446744073709551615').replace(/\r\n/g, '\n'));
  });
});
