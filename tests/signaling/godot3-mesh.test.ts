// Godot 3 (Debian's godot3-server 3.2.3 unless GODOT3 names another): the addon's Godot 3
// signalling client (addons/webrtc_ts/signaling/godot3/) and WebRTCMultiplayer, in separate
// processes, through the signalling server. See lib/mesh-scenario.ts and
// lib/client-server-scenario.ts.
import { execFileSync } from 'node:child_process';
import { describeClientServer } from './lib/client-server-scenario.js';
import type { Engine } from './lib/engine.js';
import { describeMesh } from './lib/mesh-scenario.js';
import { PROJECT } from './lib/paths.js';

function godot3(): string | null {
  if (process.env.GODOT3) return process.env.GODOT3;
  try {
    return execFileSync('sh', ['-c', 'command -v godot3-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const engine: Engine = {
  label: 'Godot 3',
  binary: godot3(),
  skipReason: 'no godot3-server on PATH and GODOT3 unset (scripts/godot3.sh installs it)',
  required: true,
  args: ['--no-window', '--path', PROJECT, '-s', 'res://tests/signaling/godot3/mesh_peer.gd'],
};

describeMesh(engine);
describeClientServer(engine);
