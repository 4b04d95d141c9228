// Our peer connections against Debian's Chromium, headless (browser-lab.ts),
// on loopback: the scenarios of browser-scenarios.ts.
import { BrowserLab } from './browser-lab.js';
import { MAX_MESSAGE_SIZE, browserScenarios } from './browser-scenarios.js';

browserScenarios({
  name: 'Chromium',
  start: () => BrowserLab.start(),
  address: '127.0.0.1',
  // Measured: Chromium 156 announces 262144, as libdatachannel does.
  announcedMaxMessageSize: MAX_MESSAGE_SIZE,
  reportsCertificates: true,
  startAllowanceMs: 0,
});
