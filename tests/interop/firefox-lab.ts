// Debian's Firefox ESR, headless, as a remote WebRTC peer. No WebDriver is
// installed here, so the test starts it on page/peer.html?socket with a fresh
// profile, and the page connects back over a WebSocket on the same 127.0.0.1
// server (see page/peer.js): every peer of the lab lives in that one page.
// Run it inside private-net.ts: Firefox gathers candidates only where a
// default route exists, and that namespace's goes nowhere.
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import { BrowserPeer, type Lab, type PageDriver, type PageEvent, servePage } from './browser-lab.js';
import { tempDir } from './leftovers.js';

/** Installed by scripts/install-interop.sh (Debian package `firefox-esr`). */
export const FIREFOX = '/usr/bin/firefox-esr';

/**
 * The profile's user.js. WebRTC: host candidates with their real addresses
 * (no mDNS names), every interface rather than the default route's only, a
 * fake microphone and camera and no permission prompt (a page may then see
 * host candidates, as Chromium's flag allows). The rest keeps a fresh profile
 * quiet: no first-run or what's-new page, no default-browser question, no
 * update, telemetry, crash, captive-portal, connectivity, safe-browsing,
 * remote-settings, push, geolocation or DNS-over-HTTPS traffic, no proxy.
 * Inside the private namespace none of it could leave anyway.
 */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number | string>> = {
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.default_address_only': false,
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Lets the page close its own window when the test goes away (Firefox then exits).
  'dom.allow_scripts_to_close_windows': true,
  'network.proxy.type': 0,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'captivedetect.canonicalURL': '',
  'app.update.enabled': false,
  'app.update.auto': false,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.startup.page': 0,
  'browser.aboutwelcome.enabled': false,
  'startup.homepage_welcome_url': '',
  'startup.homepage_welcome_url.additional': '',
  'browser.newtabpage.enabled': false,
  'browser.tabs.warnOnClose': false,
  'browser.warnOnQuit': false,
  'browser.sessionstore.resume_from_crash': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.search.update': false,
  'browser.ping-centre.telemetry': false,
  'browser.topsites.contile.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.policy.firstRunURL': '',
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  // Glean (FOG): a negative port discards its pings instead of sending them.
  'telemetry.fog.test.localhost_port': -1,
  'toolkit.telemetry.shutdownPingSender.enabled': false,
  'toolkit.telemetry.firstShutdownPing.enabled': false,
  'toolkit.telemetry.newProfilePing.enabled': false,
  'toolkit.telemetry.updatePing.enabled': false,
  'toolkit.telemetry.bhrPing.enabled': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.discovery.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'toolkit.startup.max_resumed_crashes': -1,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  // Honoured only with MOZ_REMOTE_SETTINGS_DEVTOOLS=1 in the environment (a release build ignores it otherwise).
  'services.settings.server': 'data:,#remote-settings-off',
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': '',
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'geo.provider.network.url': '',
  'identity.fxaccounts.enabled': false,
};

/** How long a fresh profile may take to start and load the page (a loaded 2-core machine). */
export const FIREFOX_START_MS = 60_000;
const CALL_TIMEOUT_MS = 20_000;

function userJs(prefs: Readonly<Record<string, boolean | number | string>>): string {
  return Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});\n`)
    .join('');
}

interface Reply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
}

/** One Firefox for a test file: its page, its control socket, a fresh profile. */
export class FirefoxLab implements Lab {
  readonly browser = 'Firefox ESR';
  readonly #server: Server;
  readonly #control: WebSocketServer;
  readonly #socket: WebSocket;
  readonly #firefox: ChildProcess;
  readonly #profile: string;
  readonly #output: { text: string };
  readonly #replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; what: string; timer: NodeJS.Timeout }>();
  readonly #peers = new Map<number, (event: PageEvent) => void>();
  #nextId = 1;
  #nextPeer = 1;
  #gone: string | undefined;

  private constructor(server: Server, control: WebSocketServer, socket: WebSocket, firefox: ChildProcess, profile: string, output: { text: string }) {
    this.#server = server;
    this.#control = control;
    this.#socket = socket;
    this.#firefox = firefox;
    this.#profile = profile;
    this.#output = output;
    socket.on('message', (data) => this.#receive(JSON.parse(data.toString()) as Reply | { peer: number; event: PageEvent }));
    socket.on('close', () => this.#lost('the page\'s socket closed'));
    firefox.once('exit', (code, signal) => this.#lost(`Firefox exited (${code ?? signal})`));
  }

  static async start(): Promise<FirefoxLab> {
    const { server, url } = await servePage();
    const control = new WebSocketServer({ server, path: '/control' });
    const profile = tempDir('firefox');
    writeFileSync(join(profile, 'user.js'), userJs(FIREFOX_PREFS));
    const output = { text: '' };
    // HOME in the profile too: nothing is written to the user's own directories.
    const env = { ...process.env, HOME: profile, MOZ_HEADLESS: '1', MOZ_CRASHREPORTER_DISABLE: '1', MOZ_DISABLE_AUTO_SAFE_MODE: '1', MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' };
    const firefox = spawn(FIREFOX, ['--headless', '--no-remote', '--profile', profile, `${url}?socket`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    firefox.stdout!.setEncoding('utf8').on('data', (text: string) => (output.text += text));
    firefox.stderr!.setEncoding('utf8').on('data', (text: string) => (output.text += text));
    // A test process that ends without close() takes Firefox with it.
    const stop = () => {
      if (firefox.exitCode === null && firefox.signalCode === null) firefox.kill('SIGKILL');
    };
    process.once('exit', stop);
    firefox.once('exit', () => process.removeListener('exit', stop));
    try {
      const socket = await new Promise<WebSocket>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Firefox did not load the page in ${FIREFOX_START_MS} ms`)), FIREFOX_START_MS);
        control.once('connection', (ws) => {
          clearTimeout(timer);
          resolve(ws);
        });
        firefox.once('error', (error) => {
          clearTimeout(timer);
          reject(new Error(`could not start ${FIREFOX} (install it with scripts/install-interop.sh): ${error.message}`));
        });
        firefox.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`Firefox exited (${code ?? signal}) before loading the page`));
        });
      });
      return new FirefoxLab(server, control, socket, firefox, profile, output);
    } catch (error) {
      firefox.kill('SIGKILL');
      control.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
      throw new Error(`${(error as Error).message}\n${output.text}`);
    }
  }

  async newPeer(): Promise<BrowserPeer> {
    const peer = this.#nextPeer++;
    return BrowserPeer.attach(async (receive) => {
      this.#peers.set(peer, receive);
      await this.#request(peer, 'newPeer', []);
      return {
        call: (method, args) => this.#request(peer, method, args),
        userAgent: async () => (await this.#request(peer, 'userAgent', [])) as string,
        close: async () => {
          this.#peers.delete(peer);
          if (this.#gone === undefined) await this.#request(peer, 'dropPeer', []);
        },
      } satisfies PageDriver;
    });
  }

  /** Closes the page's socket (the page then closes its window and Firefox exits), then makes sure. */
  async close(): Promise<void> {
    try {
      const exited = new Promise<void>((resolve) => {
        if (this.#firefox.exitCode !== null || this.#firefox.signalCode !== null) resolve();
        else this.#firefox.once('exit', () => resolve());
      });
      this.#socket.close();
      const timer = setTimeout(() => this.#firefox.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    } finally {
      this.#control.close();
      this.#server.close();
      rmSync(this.#profile, { recursive: true, force: true });
    }
  }

  #request(peer: number, method: string, args: unknown[]): Promise<unknown> {
    if (this.#gone !== undefined) return Promise.reject(new Error(`${method}: ${this.#gone}\n${this.#output.text}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#replies.delete(id);
        reject(new Error(`no reply from the page to ${method} in ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.#replies.set(id, { resolve, reject, what: method, timer });
      this.#socket.send(JSON.stringify({ id, peer, method, args }));
    });
  }

  #receive(message: Reply | { peer: number; event: PageEvent }): void {
    if ('event' in message) {
      this.#peers.get(message.peer)?.(message.event);
      return;
    }
    const pending = this.#replies.get(message.id);
    if (!pending) return;
    this.#replies.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error !== undefined) pending.reject(new Error(message.error));
    else pending.resolve(message.value);
  }

  #lost(why: string): void {
    this.#gone ??= why;
    for (const [id, pending] of this.#replies) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${pending.what}: ${why}\n${this.#output.text}`));
      this.#replies.delete(id);
    }
  }
}
