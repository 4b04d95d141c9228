// The scenarios of a real headless Godot 3 scene (godot3-server 3.2.3, plain
// WebRTCPeerConnection.new(): our addon through GDNative, its worker process doing the
// networking) against a browser's standard RTCPeerConnection page (page/peer.js).
// godot3-browser.test.ts runs them against Debian's Chromium, godot3-firefox.test.ts
// against Debian's Firefox ESR, each under its own name. Signalling crosses a relay the
// test runs on 127.0.0.1 (godot3-peer.ts) and the page's calls. ICE stays on one address:
// Godot binds it, and only the browser's candidates on it are passed to Godot; the pair
// the browser selected is checked. Each Godot run must end with its sentinel, exit code 0,
// no failure line and no engine ERROR line, and leave no worker process behind.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { titled } from '../../extension/src/testing/privileges.js';
import type { BrowserPeer, Lab, PageEvent } from './browser-lab.js';
import { candidateAddress } from './browser-signalling.js';
import { Channel, Connection, FAILURE_PATTERN, GodotPeer, SENTINEL } from './godot3-peer.js';

const BINARY = Buffer.from([0, 1, 2, 0, 0xff, 0xfe, 0x80, 0, 0x7f]);
const TEXT = Buffer.from('nul\0inside — héllo wörld ✓ 🎮 日本語\0', 'utf8');

/** Whether a process runs (a zombie waiting for PID 1 to reap it does not). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A browser the Godot 3 scenarios run against. */
export interface Godot3BrowserTarget {
  /** The describe() name, e.g. "Chromium". */
  readonly name: string;
  /** Starts the browser; called once, inside the first test. */
  readonly start: () => Promise<Lab>;
  /** The Godot 3 binary, prepared (called in beforeAll; may throw with the reason). */
  readonly godot: () => string;
  /** The one address ICE uses: Godot binds it, and only the browser's candidates on it are passed on. */
  readonly address: string;
  /** Added to each test's timeout: the first test also starts the browser. */
  readonly startAllowanceMs: number;
  /** Why the scenarios cannot run here (each is reported as skipped, with this reason in its title). */
  readonly skip?: string | undefined;
}

export function godot3BrowserScenarios(target: Godot3BrowserTarget): void {
  describe(target.name, () => {
    let godot = '';
    let started: Promise<Lab> | undefined;
    const running = new Set<GodotPeer>();
    const workers = new Map<GodotPeer, number[]>();

    function lab(): Promise<Lab> {
      started ??= target.start();
      return started;
    }

    function scenario(title: string, body: () => Promise<void>, timeoutMs: number): void {
      if (target.skip !== undefined) it.skip(titled(title, target.skip), body);
      else it(title, body, timeoutMs + target.startAllowanceMs);
    }

    beforeAll(() => {
      if (target.skip === undefined) godot = target.godot();
    }, 180_000);

    afterAll(async () => {
      if (target.skip !== undefined) return;
      for (const g of running) g.kill();
      await (await started?.catch(() => undefined))?.close();
    }, 30_000);

    interface Link {
      failure: Error | undefined;
      readonly forwarded: string[];
      readonly dropped: string[];
      readonly ours: string[];
      readonly sdp: { godot?: string; browser?: string };
    }

    /** Carries descriptions and candidates between the scene and the page, one step at a time. */
    function link(g: GodotPeer, browser: BrowserPeer, offerer: 'godot' | 'browser'): Link {
      const state: Link = { failure: undefined, forwarded: [], dropped: [], ours: [], sdp: {} };
      let queue = Promise.resolve();
      const enqueue = (what: string, step: () => Promise<void>) => {
        queue = queue.then(step).catch((error: unknown) => {
          state.failure ??= new Error(`${what}: ${(error as Error)?.message ?? String(error)}`);
        });
      };
      const ok = (what: string) => (error: number) => {
        if (error !== 0) throw new Error(`${what} returned ${error}`);
      };
      g.onEvent((e) => {
        if (e.t === 'description') {
          state.sdp.godot = e.sdp;
          if (e.type === 'offer') {
            enqueue('the browser answering Godot\'s offer', async () => {
              const answer = await browser.answer(e.sdp);
              state.sdp.browser = answer;
              ok("set_remote_description('answer')")(await g.call<number>('remote', { type: 'answer', sdp: answer }));
            });
          } else {
            enqueue('the browser accepting Godot\'s answer', () => browser.accept(e.sdp));
          }
        } else if (e.t === 'candidate') {
          const line = e.name.replace(/^a=/, '');
          state.ours.push(line);
          enqueue('the browser adding Godot\'s candidate', () => browser.addCandidate(line, e.mid, e.index));
        }
      });
      browser.onEvent((e: PageEvent) => {
        if (e.kind !== 'candidate') return;
        if (candidateAddress(e.candidate) !== target.address) {
          state.dropped.push(e.candidate);
          return;
        }
        state.forwarded.push(e.candidate);
        enqueue('Godot adding the browser\'s candidate', async () => ok('add_ice_candidate')(await g.call<number>('candidate', { mid: e.mid, index: e.index, name: e.candidate })));
      });
      if (offerer === 'browser') {
        enqueue('the browser offering', async () => {
          const offer = await browser.offer();
          state.sdp.browser = offer;
          ok("set_remote_description('offer')")(await g.call<number>('remote', { type: 'offer', sdp: offer }));
        });
      }
      return state;
    }

    /** A Godot scene and a browser page, both started; cleaned up by `finish` whatever happens. */
    async function setUp(): Promise<{ g: GodotPeer; browser: BrowserPeer }> {
      const browser = await (await lab()).newPeer();
      let g: GodotPeer | undefined;
      try {
        await browser.start({ iceServers: [] });
        g = await GodotPeer.start(godot);
        running.add(g);
        const init = await g.init({ iceServers: [], libdatachannel: { bindAddress: target.address } });
        expect(init).toMatchObject({ class: 'WebRTCPeerConnectionGDNative', error: 0 });
        expect(init.workers.length, 'the addon\'s worker process runs').toBeGreaterThan(0);
        workers.set(g, init.workers);
        return { g, browser };
      } catch (error) {
        g?.kill();
        await browser.closePage();
        throw error;
      }
    }

    /** Quits the scene and checks its run: exit 0, the sentinel, no failure or engine error line, no worker left. */
    async function finish(g: GodotPeer): Promise<void> {
      const { code, output } = await g.quit();
      running.delete(g);
      expect(output.match(FAILURE_PATTERN)?.[0] ?? null, output).toBeNull();
      expect(output.match(/^ERROR:.*$/m)?.[0] ?? null, output).toBeNull();
      expect(output, output).toMatch(SENTINEL);
      expect(output).toMatch(/^peer: \d+ checks passed, 0 failed$/m);
      expect(code).toBe(0);
      expect(g.strays, 'replies that matched no command').toEqual([]);
      const pids = workers.get(g) ?? [];
      const deadline = Date.now() + 10_000;
      while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pids.filter(alive), 'worker processes outliving Godot').toEqual([]);
    }

    async function oneAddressOnly(browser: BrowserPeer, l: Link): Promise<void> {
      const pair = await browser.selectedPair();
      expect(pair && { local: pair.local.address, remote: pair.remote.address }).toEqual({ local: target.address, remote: target.address });
      expect(l.ours.length).toBeGreaterThan(0);
      expect(l.ours.map(candidateAddress)).toEqual(l.ours.map(() => target.address));
      expect(l.forwarded.map(candidateAddress).every((a) => a === target.address)).toBe(true);
    }

    function pageKey(browser: BrowserPeer, label: string): number {
      const e = browser.events.find((x) => x.kind === 'datachannel' && x.channel.label === label);
      if (e?.kind !== 'datachannel') throw new Error(`the browser announced no channel "${label}"`);
      return e.channel.key;
    }

    const announced = (browser: BrowserPeer, label: string) => browser.has((e) => e.kind === 'datachannel' && e.channel.label === label);
    const pageOpen = (browser: BrowserPeer, key: number) => browser.has((e) => e.kind === 'open' && e.channel.key === key) || browser.has((e) => e.kind === 'datachannel' && e.channel.key === key && e.channel.readyState === 'open');
    const pageClosed = (browser: BrowserPeer, key: number) => browser.has((e) => e.kind === 'close' && e.key === key);

    /** Binary then text from Godot on `gKey`, and from the browser on `bKey`; both arrive byte for byte with their kind. */
    async function exchange(g: GodotPeer, browser: BrowserPeer, l: Link, gKey: number, bKey: number, what: string): Promise<void> {
      const before = { g: g.messages(gKey).length, b: browser.messages(bKey).length };
      expect(await g.send(gKey, BINARY, false)).toBe(0);
      expect(await g.send(gKey, TEXT, true)).toBe(0);
      await browser.send(bKey, BINARY, false);
      await browser.send(bKey, TEXT, true);
      await g.until(() => g.messages(gKey).length >= before.g + 2 && browser.messages(bKey).length >= before.b + 2, `${what}: two messages each way`, 15_000, () => {
        if (l.failure) throw l.failure;
      });
      const expected = [
        { data: BINARY, isString: false },
        { data: TEXT, isString: true },
      ];
      expect(browser.messages(bKey).slice(before.b), `${what}: Godot to the browser`).toEqual(expected);
      expect(g.messages(gKey).slice(before.g), `${what}: the browser to Godot`).toEqual(expected);
    }

    scenario('Godot offers and the browser answers: channels from each side and a negotiated one, messages both ways, close from each side', async () => {
      const { g, browser } = await setUp();
      try {
        const chat = await g.createChannel('chat', { protocol: 'godot-chat' });
        if (chat === -1) throw new Error('create_data_channel("chat") returned null');
        const l = link(g, browser, 'godot');
        expect(await g.call('offer')).toBe(0);
        const guard = () => {
          if (l.failure) throw l.failure;
        };
        await g.until(() => g.channelState(chat.key) === Channel.OPEN && announced(browser, 'chat') && pageOpen(browser, pageKey(browser, 'chat')), 'Godot\'s in-band channel open at both ends', 20_000, guard);
        expect(g.connectionStates()).toContain(Connection.CONNECTED);
        expect(l.sdp.browser).toMatch(/^a=setup:active/m);
        await oneAddressOnly(browser, l);
        const chatKey = pageKey(browser, 'chat');
        const chatInfo = await g.call<{ id: number }>('info', { key: chat.key });
        expect(await browser.channel(chatKey)).toMatchObject({ label: 'chat', protocol: 'godot-chat', negotiated: false, ordered: true, id: chatInfo.id });

        // The browser's in-band channel: Godot's data_channel_received.
        const fromBrowser = (await browser.createChannel('from-browser', { protocol: 'page-proto' })).key;
        // A negotiated channel: id 7 on both sides, announced by neither.
        const agreed = await g.createChannel('agreed', { negotiated: true, id: 7 });
        if (agreed === -1) throw new Error('create_data_channel("agreed", negotiated) returned null');
        const agreedKey = (await browser.createChannel('agreed', { negotiated: true, id: 7 })).key;
        await g.until(
          () => g.received().length === 1 && g.channelState(g.received()[0]!.key) === Channel.OPEN && g.channelState(agreed.key) === Channel.OPEN && pageOpen(browser, agreedKey) && pageOpen(browser, fromBrowser),
          'the browser\'s channel and the negotiated channel open',
          15_000,
          guard,
        );
        const received = g.received()[0]!;
        expect(received).toMatchObject({ label: 'from-browser', protocol: 'page-proto', negotiated: false, id: (await browser.channel(fromBrowser)).id });
        expect(await g.call('info', { key: agreed.key })).toMatchObject({ negotiated: true, id: 7 });
        expect(g.received()).toHaveLength(1);
        expect(browser.events.filter((e) => e.kind === 'datachannel').map((e) => e.kind === 'datachannel' && e.channel.label)).toEqual(['chat']);

        await exchange(g, browser, l, chat.key, chatKey, 'Godot\'s channel');
        await exchange(g, browser, l, received.key, fromBrowser, 'the browser\'s channel');
        await exchange(g, browser, l, agreed.key, agreedKey, 'the negotiated channel');

        // Godot closes its channel: the browser's onclose.
        // CLOSING until the stack confirms. The shim takes in the worker's events on every call
        // into it, not only in poll(): on a loaded machine the confirmation can already be there
        // when the scene calls get_ready_state() right after close() (seen about 1 run in 15).
        expect([Channel.CLOSING, Channel.CLOSED]).toContain(await g.call('close_channel', { key: chat.key }));
        await g.until(() => pageClosed(browser, chatKey) && g.channelState(chat.key) === Channel.CLOSED, 'the browser\'s onclose for Godot\'s channel', 15_000, guard);
        // The browser closes its channel: Godot's STATE_CLOSED.
        await browser.close(fromBrowser);
        await g.until(() => g.channelState(received.key) === Channel.CLOSED, 'Godot\'s STATE_CLOSED for the browser\'s channel', 15_000, guard);
        // The browser closes its peer connection: Godot's negotiated channel closes.
        await browser.closePeer();
        await g.until(() => g.channelState(agreed.key) === Channel.CLOSED, 'Godot\'s negotiated channel CLOSED after the browser\'s pc.close()', 15_000, guard);
        await finish(g);
      } finally {
        g.kill();
        running.delete(g);
        await browser.closePage();
      }
    }, 90_000);

    scenario('the browser offers and Godot answers: data_channel_received, Godot\'s in-band channel reaches ondatachannel, messages both ways, Godot\'s close() seen by the browser', async () => {
      const { g, browser } = await setUp();
      try {
        // The browser's offer carries the data section only once it has a channel.
        const chatKey = (await browser.createChannel('chat')).key;
        const l = link(g, browser, 'browser');
        const guard = () => {
          if (l.failure) throw l.failure;
        };
        await g.until(() => g.received().length === 1 && g.channelState(g.received()[0]!.key) === Channel.OPEN && pageOpen(browser, chatKey), 'the browser\'s channel open at both ends', 20_000, guard);
        expect(g.connectionStates()).toContain(Connection.CONNECTED);
        expect(l.sdp.godot).toMatch(/^a=setup:(active|passive)/m);
        await oneAddressOnly(browser, l);
        const chat = g.received()[0]!;
        expect(chat).toMatchObject({ label: 'chat', negotiated: false, id: (await browser.channel(chatKey)).id });

        // Godot's in-band channel over the existing association: the browser's ondatachannel.
        const late = await g.createChannel('from-godot', { protocol: 'godot-proto' });
        if (late === -1) throw new Error('create_data_channel("from-godot") returned null');
        await g.until(() => g.channelState(late.key) === Channel.OPEN && announced(browser, 'from-godot') && pageOpen(browser, pageKey(browser, 'from-godot')), 'Godot\'s late channel open at both ends', 15_000, guard);
        const lateKey = pageKey(browser, 'from-godot');
        expect(await browser.channel(lateKey)).toMatchObject({ protocol: 'godot-proto', negotiated: false, id: (await g.call<{ id: number }>('info', { key: late.key })).id });

        await exchange(g, browser, l, chat.key, chatKey, 'the browser\'s channel');
        await exchange(g, browser, l, late.key, lateKey, 'Godot\'s channel');

        // Godot closes the whole connection: CLOSED at once on its side, onclose for both channels in the browser.
        expect(await g.call('close')).toBe(Connection.CLOSED);
        await g.until(() => pageClosed(browser, chatKey) && pageClosed(browser, lateKey) && g.channelState(chat.key) === Channel.CLOSED && g.channelState(late.key) === Channel.CLOSED, 'the browser\'s onclose for both channels after Godot\'s close()', 15_000, guard);
        await finish(g);
      } finally {
        g.kill();
        running.delete(g);
        await browser.closePage();
      }
    }, 90_000);
  });
}
