// Runs inside a private network namespace whose loopback drops packets under
// load (a tbf rate limit, set up by the test). Opens a pair with one reliable
// and one unreliable in-band channel, floods both, and prints what arrived.
import { Session } from '../api/session.js';
import { ChannelState, GodotError } from '../godot/enums.generated.js';
import type { DataChannel } from '../api/data-channel.js';
import { ndcTransport } from '../transport/ndc-transport.js';
import { openPair, pollUntil } from './loopback.js';

const COUNT = Number(process.env.LOSSY_COUNT ?? 400);
const SIZE = 1200;

async function main(): Promise<void> {
  const session = new Session({ transport: ndcTransport, logger: () => undefined });
  const { a, b, channel: reliable, remote: reliableRemote } = await openPair(session, 'reliable', {}, { iceServers: [], libdatachannel: { bindAddress: '127.0.0.1' } }, 30_000);
  let unreliableRemote: DataChannel | null = null;
  b.connect('data_channel_received', (ch) => (unreliableRemote = ch));
  const unreliable = a.createDataChannel('unreliable', { ordered: false, maxRetransmits: 0 })!;
  await pollUntil([a, b], () => unreliable.getReadyState() === ChannelState.STATE_OPEN && unreliableRemote !== null, 30_000);
  const got = { reliable: 0, unreliable: 0, reliableInOrder: true };
  let sentR = 0;
  let sentU = 0;
  const msg = (i: number) => new Uint8Array(SIZE).fill(i & 0xff);
  await pollUntil([a, b], () => {
    while (sentU < COUNT && unreliable.putPacket(msg(sentU)) === GodotError.OK) sentU++;
    while (sentR < COUNT && reliable.putPacket(msg(sentR)) === GodotError.OK) sentR++;
    while (reliableRemote.getAvailablePacketCount() > 0) {
      if (reliableRemote.getPacket()[0] !== (got.reliable & 0xff)) got.reliableInOrder = false;
      got.reliable++;
    }
    while (unreliableRemote!.getAvailablePacketCount() > 0) {
      unreliableRemote!.getPacket();
      got.unreliable++;
    }
    return got.reliable === COUNT && sentU === COUNT;
  }, 60_000, 'the reliable stream');
  // Give late unreliable packets time to arrive.
  const until = Date.now() + 1000;
  await pollUntil([a, b], () => {
    while (unreliableRemote!.getAvailablePacketCount() > 0) {
      unreliableRemote!.getPacket();
      got.unreliable++;
    }
    return Date.now() > until;
  });
  process.stdout.write(`${JSON.stringify({ count: COUNT, ...got })}\n`);
  session.close();
  setTimeout(() => process.exit(0), 50);
}

void main();
