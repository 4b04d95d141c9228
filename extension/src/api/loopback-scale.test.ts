// Real node-datachannel on loopback at scale: many pairs at once in one
// process, and long reliable streams that must arrive complete and in order.
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelState, GodotError } from '../godot/enums.generated.js';
import { collectLogs, openPair, pollUntil } from '../testing/loopback.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import { Session } from './session.js';

let session: Session | undefined;
afterEach(() => session?.close());

describe('node-datachannel on loopback at scale', () => {
  it('32 connection pairs open at once and each carries its own traffic', async () => {
    const logs = collectLogs();
    session = new Session({ transport: ndcTransport, logger: logs.logger });
    const s = session;
    const pairs = await Promise.all(Array.from({ length: 32 }, (_, i) => openPair(s, `pair-${i}`)));
    for (const [i, p] of pairs.entries()) {
      expect(p.channel.getReadyState()).toBe(ChannelState.STATE_OPEN);
      expect(p.channel.putPacket(new Uint8Array([i, 1]))).toBe(GodotError.OK);
      expect(p.remote.putPacket(new Uint8Array([i, 2]))).toBe(GodotError.OK);
    }
    const peers = pairs.flatMap((p) => [p.a, p.b]);
    await pollUntil(peers, () => pairs.every((p) => p.remote.getAvailablePacketCount() === 1 && p.channel.getAvailablePacketCount() === 1));
    for (const [i, p] of pairs.entries()) {
      expect([...p.remote.getPacket()]).toEqual([i, 1]);
      expect([...p.channel.getPacket()]).toEqual([i, 2]);
      expect(p.remote.getLabel()).toBe(`pair-${i}`);
    }
    expect(logs.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it.each([
    ['in-band', {}],
    ['negotiated', { negotiated: true, id: 2 }],
  ] as const)('10,000 reliable messages arrive complete and in order (%s)', async (_kind, options) => {
    session = new Session({ transport: ndcTransport, logger: collectLogs().logger });
    const { a, b, channel, remote } = await openPair(session, 'bulk', options);
    const total = 10_000;
    let sent = 0;
    let received = 0;
    let outOfOrder = 0;
    let corrupt = 0;
    await pollUntil([a, b], () => {
      while (sent < total) {
        const msg = new Uint8Array(64 + (sent % 1000));
        new DataView(msg.buffer).setUint32(0, sent);
        msg.fill(sent & 0xff, 4);
        const err = channel.putPacket(msg);
        if (err === GodotError.ERR_BUSY) break;
        expect(err).toBe(GodotError.OK);
        sent++;
      }
      while (remote.getAvailablePacketCount() > 0) {
        const data = remote.getPacket();
        const seq = new DataView(data.buffer, data.byteOffset).getUint32(0);
        if (seq !== received) outOfOrder++;
        if (data.byteLength !== 64 + (seq % 1000) || data.subarray(4).some((x) => x !== (seq & 0xff))) corrupt++;
        received++;
      }
      return received === total;
    }, 30_000, '10,000 messages');
    expect(outOfOrder).toBe(0);
    expect(corrupt).toBe(0);
  });
});
