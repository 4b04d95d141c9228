// Prepares Godot 3 (scripts/godot3.sh may apt-get install it; assemble-addon.sh) when
// imported, so that a file can do it before private-net.ts takes its process off the
// network: import this module ahead of that one. A failure is kept, and thrown by
// `preparedGodot3()` inside a test.
import { prepareGodot3 } from './godot3-peer.js';

const prepared: { godot: string } | { error: Error } = (() => {
  try {
    return { godot: prepareGodot3() };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
})();

export function preparedGodot3(): string {
  if ('error' in prepared) throw prepared.error;
  return prepared.godot;
}
