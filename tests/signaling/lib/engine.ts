// An engine the scenarios run in, and the describe() that runs a scenario in it, skips it
// (with the reason in its name) or fails it when a required engine is missing.
import { describe, it } from 'vitest';

export interface Engine {
  /** "Godot 3", "Godot 4 (...)". */
  readonly label: string;
  /** The binary; null skips the scenarios with `skipReason`, or fails them when `required`. */
  readonly binary: string | null;
  readonly skipReason: string;
  readonly required: boolean;
  /** Arguments that run the mesh-peer scene. */
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export function describeIn(engine: Engine, what: string, body: (binary: string) => void): void {
  const binary = engine.binary;
  if (binary) {
    describe.sequential(`${engine.label}: ${what}`, () => body(binary));
  } else if (engine.required) {
    describe(`${engine.label}: ${what}`, () => {
      it(`${engine.label} is available`, () => {
        throw new Error(engine.skipReason);
      });
    });
  } else {
    describe.skip(`${engine.label}: ${what} (skipped: ${engine.skipReason})`, () => {
      it('runs', () => {});
    });
  }
}
