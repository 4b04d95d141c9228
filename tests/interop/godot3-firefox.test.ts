// A real headless Godot 3 scene against Debian's Firefox ESR (firefox-lab.ts): the
// scenarios of godot3-browser-scenarios.ts, the same as Chromium's. Godot is prepared
// first (godot3-prepared.ts), then the file moves into its private network namespace
// (private-net.ts), where Godot, its worker and Firefox all run and nothing can leave.
// Without root every scenario is reported as skipped, with the reason in its title.
import { preparedGodot3 } from './godot3-prepared.js';
import { ADDRESS, privateNetSkip, sentOffHost } from './private-net.js';
import { FIREFOX_START_MS, FirefoxLab } from './firefox-lab.js';
import { expect, it } from 'vitest';
import { titled } from '../../extension/src/testing/privileges.js';
import { godot3BrowserScenarios } from './godot3-browser-scenarios.js';

godot3BrowserScenarios({
  name: 'Firefox ESR',
  start: () => FirefoxLab.start(),
  godot: preparedGodot3,
  address: ADDRESS,
  startAllowanceMs: FIREFOX_START_MS,
  skip: privateNetSkip,
});

// After the browser has closed (the describe's afterAll): with the profile's
// prefs, neither Firefox nor our side tried to reach any other host.
(privateNetSkip === undefined ? it : it.skip)(titled('nothing tried to leave the private namespace: its veth transmitted no packet', privateNetSkip), () => {
  expect(sentOffHost()).toBe(0);
});
