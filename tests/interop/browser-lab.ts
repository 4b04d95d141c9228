// Debian's Chromium, headless, as a remote WebRTC peer no one here wrote. The
// page (page/peer.js) uses only the standard RTCPeerConnection API; it is
// served on 127.0.0.1 by this module and driven with playwright-core, which
// never downloads a browser of its own: it starts /usr/bin/chromium.
import { createServer, type Server } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { tempDir } from './leftovers.js';

/** Installed by scripts/install-interop.sh (Debian package `chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * The flags that keep Chromium off the network (the machine notes in
 * .library/env/machines/node.md), and two for WebRTC on loopback:
 * - without camera permission Chromium hides host addresses behind mDNS
 *   `.local` names; with that off the test sees (and filters) real addresses;
 * - Chromium leaves the loopback interface out of ICE unless allowed. Even
 *   then it never signals a 127.0.0.1 candidate (measured, Chromium 156): on
 *   a machine with other interfaces it signals only those (we drop them),
 *   with only `lo` it signals nothing, and without the switch it cannot
 *   connect there at all. Its checks reach our 127.0.0.1 candidate, so both
 *   sides learn the other as peer-reflexive 127.0.0.1; browser.test.ts
 *   checks the pair the browser selected.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--allow-loopback-in-peer-connection',
] as const;

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'page');
const PAGE_FILES: Record<string, string> = { '/peer.html': 'text/html', '/peer.js': 'text/javascript' };

export interface PageChannel {
  readonly key: number;
  readonly label: string;
  readonly protocol: string;
  readonly ordered: boolean;
  readonly negotiated: boolean;
  readonly id: number | null;
  readonly maxRetransmits: number | null;
  readonly maxPacketLifeTime: number | null;
  readonly readyState: string;
}

export type PageEvent =
  | { kind: 'candidate'; candidate: string; mid: string; index: number }
  | { kind: 'candidates-done' }
  | { kind: 'connection'; state: string }
  | { kind: 'datachannel'; channel: PageChannel }
  | { kind: 'open'; channel: PageChannel }
  | { kind: 'close'; key: number }
  | { kind: 'channel-error'; key: number; message: string }
  | { kind: 'message'; key: number; isString: boolean; data: string };

export interface PageCandidate {
  readonly address: string;
  readonly port: number;
  readonly type: string;
  readonly protocol?: string;
}

export interface SelectedPair {
  readonly local: PageCandidate;
  readonly remote: PageCandidate;
  readonly state: string;
  readonly nominated: boolean;
}

/** window.peer in page/peer.js. */
interface PagePeer {
  start(configuration: object): void;
  createChannel(label: string, init: object): PageChannel;
  channel(key: number): PageChannel;
  offer(): Promise<string>;
  answer(offer: string): Promise<string>;
  accept(answer: string): Promise<void>;
  addCandidate(candidate: string, mid: string, index: number): Promise<void>;
  send(key: number, b64: string, isString: boolean): void;
  close(key: number): void;
  closePeer(): void;
  sctpMaxMessageSize(): number | null;
  selectedPair(): Promise<SelectedPair | null>;
  candidates(): Promise<Array<PageCandidate & { side: string }>>;
}

type Method = keyof PagePeer;

/** One RTCPeerConnection in its own page; `events` fills as the page reports. */
export class BrowserPeer {
  readonly events: PageEvent[] = [];
  readonly #page: Page;
  readonly #listeners = new Set<(event: PageEvent) => void>();

  private constructor(page: Page) {
    this.#page = page;
  }

  static async open(context: BrowserContext, url: string): Promise<BrowserPeer> {
    const page = await context.newPage();
    const peer = new BrowserPeer(page);
    await page.exposeFunction('rtcEvent', (json: string) => peer.#receive(JSON.parse(json) as PageEvent));
    await page.goto(url);
    return peer;
  }

  onEvent(listener: (event: PageEvent) => void): void {
    this.#listeners.add(listener);
  }

  start(configuration: object = { iceServers: [] }): Promise<void> {
    return this.#call('start', configuration);
  }

  createChannel(label: string, init: object = {}): Promise<PageChannel> {
    return this.#call('createChannel', label, init);
  }

  channel(key: number): Promise<PageChannel> {
    return this.#call('channel', key);
  }

  offer(): Promise<string> {
    return this.#call('offer');
  }

  answer(offer: string): Promise<string> {
    return this.#call('answer', offer);
  }

  accept(answer: string): Promise<void> {
    return this.#call('accept', answer);
  }

  addCandidate(candidate: string, mid: string, index: number): Promise<void> {
    return this.#call('addCandidate', candidate, mid, index);
  }

  send(key: number, data: Uint8Array, isString: boolean): Promise<void> {
    const b64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    return this.#call('send', key, b64, isString);
  }

  close(key: number): Promise<void> {
    return this.#call('close', key);
  }

  closePeer(): Promise<void> {
    return this.#call('closePeer');
  }

  sctpMaxMessageSize(): Promise<number | null> {
    return this.#call('sctpMaxMessageSize');
  }

  selectedPair(): Promise<SelectedPair | null> {
    return this.#call('selectedPair');
  }

  candidates(): Promise<Array<PageCandidate & { side: string }>> {
    return this.#call('candidates');
  }

  /** Messages the page received on channel `key`, decoded. */
  messages(key: number): Array<{ data: Buffer; isString: boolean }> {
    return this.events.flatMap((e) => (e.kind === 'message' && e.key === key ? [{ data: Buffer.from(e.data, 'base64'), isString: e.isString }] : []));
  }

  has(predicate: (event: PageEvent) => boolean): boolean {
    return this.events.some(predicate);
  }

  userAgent(): Promise<string> {
    return this.#page.evaluate(() => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent);
  }

  closePage(): Promise<void> {
    return this.#page.close();
  }

  /** Calls window.peer[method](...args) in the page (arguments and results travel as JSON). */
  #call<M extends Method>(method: M, ...args: Parameters<PagePeer[M]>): Promise<Awaited<ReturnType<PagePeer[M]>>> {
    return this.#page.evaluate(
      ([m, a]) => {
        const peer = (globalThis as unknown as { peer: Record<string, (...x: unknown[]) => unknown> }).peer;
        return peer[m]!(...a);
      },
      [method, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<PagePeer[M]>>>;
  }

  #receive(event: PageEvent): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}

/** One Chromium for a test file, a page server on 127.0.0.1, a fresh profile. */
export class BrowserLab {
  readonly #server: Server;
  readonly #context: BrowserContext;
  readonly #profile: string;
  readonly #url: string;

  private constructor(server: Server, context: BrowserContext, profile: string, url: string) {
    this.#server = server;
    this.#context = context;
    this.#profile = profile;
    this.#url = url;
  }

  static async start(): Promise<BrowserLab> {
    const server = createServer((req, res) => {
      const type = PAGE_FILES[req.url ?? ''];
      if (!type) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(join(PAGE_DIR, req.url!.slice(1))));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/peer.html`;
    const profile = tempDir('chromium');
    let context: BrowserContext;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [...CHROMIUM_FLAGS],
        timeout: 30_000,
      });
    } catch (error) {
      server.close();
      rmSync(profile, { recursive: true, force: true });
      throw new Error(`could not start ${CHROMIUM} (install it with scripts/install-interop.sh): ${(error as Error).message}`);
    }
    return new BrowserLab(server, context, profile, url);
  }

  newPeer(): Promise<BrowserPeer> {
    return BrowserPeer.open(this.#context, this.#url);
  }

  async close(): Promise<void> {
    try {
      await this.#context.close();
    } finally {
      this.#server.close();
      rmSync(this.#profile, { recursive: true, force: true });
    }
  }
}
