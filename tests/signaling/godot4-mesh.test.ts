// Godot 4, where GODOT4 names a binary (skipped otherwise, never counted as passed): the same
// scenarios as the Godot 3 test with the addon's Godot 4 client
// (addons/webrtc_ts/signaling/godot4/) and WebRTCMultiplayerPeer; then the mesh scenario with
// the networking/webrtc_signaling demo's own client scripts, unchanged, where
// GODOT_DEMO_PROJECTS names a checkout of godot-demo-projects (scripts/run-signaling-tests.sh
// copies them into its project copy).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeClientServer } from './lib/client-server-scenario.js';
import type { Engine } from './lib/engine.js';
import { describeMesh } from './lib/mesh-scenario.js';
import { PROJECT } from './lib/paths.js';

const binary = process.env.GODOT4 || null;
const args = ['--headless', '--path', PROJECT, '-s', 'res://tests/signaling/godot4/mesh_peer.gd'];

const addonClient: Engine = {
  label: "Godot 4 (the addon's client)",
  binary,
  skipReason: 'GODOT4 does not name a Godot 4 binary',
  required: false,
  args,
};
describeMesh(addonClient);
describeClientServer(addonClient);

const demoCopied = existsSync(join(PROJECT, 'demo_client', 'multiplayer_client.gd'));
describeMesh({
  label: "Godot 4 (the demo's own client scripts)",
  binary: demoCopied ? binary : null,
  skipReason: binary ? 'GODOT_DEMO_PROJECTS does not name a godot-demo-projects checkout' : 'GODOT4 does not name a Godot 4 binary',
  required: false,
  args,
  env: { SIGNALING_CLIENT: 'res://tests/signaling/godot4/lib/demo_client_loopback.gd' },
});
