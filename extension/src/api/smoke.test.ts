import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionState, GodotError } from '../godot/enums.generated.js';
import { openPair, pollUntil } from '../testing/loopback.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import { Session } from './session.js';

let session: Session;
afterEach(() => session?.close());

describe('smoke: two real peers on loopback', () => {
  it('open a channel and exchange a packet each way', async () => {
    session = new Session({ transport: ndcTransport });
    const { a, b, channel, remote } = await openPair(session);
    expect(a.getConnectionState()).toBe(ConnectionState.STATE_CONNECTED);
    expect(channel.putPacket(new Uint8Array([1, 2, 3]))).toBe(GodotError.OK);
    expect(remote.putPacket(new Uint8Array([4]))).toBe(GodotError.OK);
    await pollUntil([a, b], () => remote.getAvailablePacketCount() === 1 && channel.getAvailablePacketCount() === 1);
    expect([...remote.getPacket()]).toEqual([1, 2, 3]);
    expect([...channel.getPacket()]).toEqual([4]);
  });
});
