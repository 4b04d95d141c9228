// The ABNF building blocks SDP (RFC 8866 §9) and ICE (RFC 8839 §5.1) share.
// One definition each; the line, attribute and candidate checks build on them.

/**
 * RFC 8866 §9 token: 1*token-char, token-char = %x21 / %x23-27 / %x2A-2B /
 * %x2D-2E / %x30-39 / %x41-5A / %x5E-7E (RFC 8839 §5.1 reuses it for
 * extension-att-name, from RFC 3261).
 */
export const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

/** RFC 8866 §9 byte-string: 1*(%x01-09 / %x0B-0C / %x0E-FF), no NUL, CR or LF. */
const BYTE_STRING = /^[^\0\r\n]+$/;

/** RFC 8866 §9 non-ws-string: 1*(VCHAR / %x80-FF). */
export const NON_WS_STRING = /^[^\0-\x20\x7f]+$/;

/** RFC 8839 §5.1 ice-char: ALPHA / DIGIT / "+" / "/". */
export const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

/**
 * RFC 8839 §5.4: ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char. The candidate
 * attribute's "ufrag" extension names the same fragment, so it takes the ufrag rule.
 */
export const ICE_UFRAG_LENGTH = { min: 4, max: 256 } as const;
export const ICE_PWD_LENGTH = { min: 22, max: 256 } as const;

/** Why `value` is not an ICE credential of `length` (RFC 8839 §5.4), or undefined. */
export function iceCredentialProblem(value: string, length: { readonly min: number; readonly max: number }): string | undefined {
  if (ICE_CHARS.test(value) && value.length >= length.min && value.length <= length.max) return undefined;
  return `must be ${length.min} to ${length.max} ICE characters (RFC 8839 §5.4)`;
}

/** RFC 8866 §9 port, and the candidate port of RFC 8839 §5.1: a 16-bit number. */
export const PORT_MAX = 65535;

/** Why `text` is not a byte-string, or undefined when it is one. */
export function byteStringProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  return BYTE_STRING.test(text) ? undefined : 'holds a NUL or CR byte';
}

/** RFC 5234 1*DIGIT, read as a number no larger than `max`; undefined otherwise. */
export function readUint(text: string, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

/** A value for an error line: quoted, and cut short when long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
