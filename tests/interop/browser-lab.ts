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

/** The page's DTLS facts (peer.js dtls()): null where the browser reports nothing. */
export interface PageDtls {
  /** RTCDtlsTransport.state of the SCTP transport. */
  readonly state: string | null;
  /** RTCTransportStats: dtlsState, dtlsRole ('client' | 'server'), tlsVersion (hex, e.g. "FEFD"), dtlsCipher. */
  readonly statsState: string | null;
  readonly role: string | null;
  readonly tlsVersion: string | null;
  readonly cipher: string | null;
  readonly localCertificateId: string | null;
  readonly remoteCertificateId: string | null;
  readonly certificates: ReadonlyArray<{ id: string; fingerprint: string; fingerprintAlgorithm: string }>;
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
  dtls(): Promise<PageDtls>;
}

type Method = keyof PagePeer;

/** How a BrowserPeer reaches its page: playwright (Chromium) or the page's socket (firefox-lab.ts). */
export interface PageDriver {
  /** window.peer[method](...args) in the page; arguments and results travel as JSON. */
  call(method: string, args: unknown[]): Promise<unknown>;
  userAgent(): Promise<string>;
  /** Ends the peer (its page, or its RTCPeerConnection). */
  close(): Promise<void>;
}

/** One RTCPeerConnection in a page; `events` fills as the page reports. */
export class BrowserPeer {
  readonly events: PageEvent[] = [];
  readonly #listeners = new Set<(event: PageEvent) => void>();
  #driver: PageDriver | undefined;

  private constructor() {}

  /** A peer whose driver `open` makes; the driver hands each page event to `receive`. */
  static async attach(open: (receive: (event: PageEvent) => void) => Promise<PageDriver>): Promise<BrowserPeer> {
    const peer = new BrowserPeer();
    peer.#driver = await open((event) => peer.#receive(event));
    return peer;
  }

  /** A Chromium page of its own. */
  static open(context: BrowserContext, url: string): Promise<BrowserPeer> {
    return BrowserPeer.attach(async (receive) => {
      const page = await context.newPage();
      await page.exposeFunction('rtcEvent', (json: string) => receive(JSON.parse(json) as PageEvent));
      await page.goto(url);
      return playwrightDriver(page);
    });
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

  dtls(): Promise<PageDtls> {
    return this.#call('dtls');
  }

  /** Messages the page received on channel `key`, decoded. */
  messages(key: number): Array<{ data: Buffer; isString: boolean }> {
    return this.events.flatMap((e) => (e.kind === 'message' && e.key === key ? [{ data: Buffer.from(e.data, 'base64'), isString: e.isString }] : []));
  }

  has(predicate: (event: PageEvent) => boolean): boolean {
    return this.events.some(predicate);
  }

  userAgent(): Promise<string> {
    return this.#page().userAgent();
  }

  closePage(): Promise<void> {
    return this.#page().close();
  }

  #page(): PageDriver {
    if (!this.#driver) throw new Error('the browser peer has no page yet');
    return this.#driver;
  }

  /** Calls window.peer[method](...args) in the page. */
  #call<M extends Method>(method: M, ...args: Parameters<PagePeer[M]>): Promise<Awaited<ReturnType<PagePeer[M]>>> {
    return this.#page().call(method, args) as Promise<Awaited<ReturnType<PagePeer[M]>>>;
  }

  #receive(event: PageEvent): void {
    this.events.push(event);
    for (const listener of this.#listeners) listener(event);
  }
}

function playwrightDriver(page: Page): PageDriver {
  return {
    call: (method, args) =>
      page.evaluate(
        ([m, a]) => {
          const peer = (globalThis as unknown as { peer: Record<string, (...x: unknown[]) => unknown> }).peer;
          return peer[m]!(...a);
        },
        [method, args] as [string, unknown[]],
      ),
    userAgent: () => page.evaluate(() => (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent),
    close: () => page.close(),
  };
}

/** A browser for a test file: peers on demand, everything ended by close(). */
export interface Lab {
  /** The browser's name as test titles say it. */
  readonly browser: string;
  newPeer(): Promise<BrowserPeer>;
  close(): Promise<void>;
}

/** Serves page/ on 127.0.0.1 (of the network namespace the caller is in); resolves with the page's URL. */
export async function servePage(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/\?.*$/, '');
    const type = PAGE_FILES[path];
    if (!type) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(join(PAGE_DIR, path.slice(1))));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/peer.html` };
}

/** One Chromium for a test file, a page server on 127.0.0.1, a fresh profile. */
export class BrowserLab implements Lab {
  readonly browser = 'Chromium';
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
    const { server, url } = await servePage();
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
