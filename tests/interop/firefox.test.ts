// Our peer connections against Debian's Firefox ESR, headless (firefox-lab.ts):
// the scenarios of browser-scenarios.ts, the same as Chromium's. The whole file
// runs in a private network namespace (private-net.ts, imported first: before
// node-datachannel opens anything), where Firefox gathers candidates on
// ADDRESS and nothing can leave. Without root every scenario is reported as
// skipped, with the reason in its title.
import { ADDRESS, privateNetSkip, sentOffHost } from './private-net.js';
import { browserScenarios } from './browser-scenarios.js';
import { FIREFOX_START_MS, FirefoxLab } from './firefox-lab.js';
import { expect, it } from 'vitest';
import { titled } from '../../extension/src/testing/privileges.js';

browserScenarios({
  name: 'Firefox ESR',
  start: () => FirefoxLab.start(),
  address: ADDRESS,
  // Measured: Firefox ESR 153 announces 1073741823 (2^30 - 1), in offers and answers.
  announcedMaxMessageSize: 1_073_741_823,
  reportsCertificates: false,
  startAllowanceMs: FIREFOX_START_MS,
  skip: privateNetSkip,
});

// After the browser has closed (the describe's afterAll): with the profile's
// prefs, neither Firefox nor our side tried to reach any other host.
(privateNetSkip === undefined ? it : it.skip)(titled('nothing tried to leave the private namespace: its veth transmitted no packet', privateNetSkip), () => {
  expect(sentOffHost()).toBe(0);
});
