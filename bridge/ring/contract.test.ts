// The ring's memory-ordering contract heads both implementations (docs/style.md item 2), so a
// reader of either file has it beside the code it governs. This test keeps the two copies one
// text: from the "MEMORY-ORDERING CONTRACT" line to "END OF THE CONTRACT", comment leaders
// removed, ring.c and ring.ts must be equal line for line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const START = 'MEMORY-ORDERING CONTRACT';
const END = 'END OF THE CONTRACT.';

/** The contract's lines in `file` (beside this test), without the comment's ` * ` leaders. */
function contract(file: string): string[] {
  const lines = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/^ \*( |$)/, ''));
  const start = lines.findIndex((line) => line.startsWith(START));
  const end = lines.findIndex((line) => line.startsWith(END));
  expect(start, `${file}: no "${START}" line`).toBeGreaterThanOrEqual(0);
  expect(end, `${file}: no "${END}" line after the contract`).toBeGreaterThan(start);
  return lines.slice(start, end + 1);
}

describe('the ring contract', () => {
  it('is the same text at the head of ring.c and ring.ts', () => {
    const c = contract('ring.c');
    expect(c.length).toBeGreaterThan(50);
    expect(contract('ring.ts')).toEqual(c);
  });
});
