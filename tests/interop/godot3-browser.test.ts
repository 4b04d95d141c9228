// A real headless Godot 3 scene against Debian's Chromium (browser-lab.ts), on
// loopback: the scenarios of godot3-browser-scenarios.ts.
import { BrowserLab } from './browser-lab.js';
import { godot3BrowserScenarios } from './godot3-browser-scenarios.js';
import { prepareGodot3 } from './godot3-peer.js';

godot3BrowserScenarios({
  name: 'Chromium',
  start: () => BrowserLab.start(),
  godot: prepareGodot3,
  address: '127.0.0.1',
  startAllowanceMs: 0,
});
