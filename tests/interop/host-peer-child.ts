// One peer on its own test host: runs inside a network namespace (started by
// host-peer.ts with `ip netns exec`), drives one peer connection through the
// Godot-shaped facade, and talks to the test over stdio, one JSON object a
// line. The test is the signalling server: it carries descriptions and
// candidates between two of these.
//
//   stdin:  {op:'start', role:'offerer'|'answerer', config} | {op:'description', type, sdp}
//           | {op:'candidate', mid, index, name} | {op:'stop'}
//   stdout: {ev:'description', type, sdp} | {ev:'candidate', mid, index, name}
//           | {ev:'state', connection, gathering} (get_*_state() as seen after a poll)
//           | {ev:'connection-state', state} (each state the core reports)
//           | {ev:'open'} | {ev:'message', text}
//           | {ev:'log', level, message} | {ev:'error', message}
import { createInterface } from 'node:readline';
import type { DataChannel } from '../../extension/src/api/data-channel.js';
import { Session } from '../../extension/src/api/session.js';
import { ChannelState, GodotError, WriteMode } from '../../extension/src/godot/enums.generated.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';

/** The child never outlives a test that forgot it. */
const LIFETIME_MS = 90_000;

type Command =
  | { op: 'start'; role: 'offerer' | 'answerer'; config: object }
  | { op: 'description'; type: string; sdp: string }
  | { op: 'candidate'; mid: string; index: number; name: string }
  | { op: 'stop' };

const started = Date.now();
/** Every event carries `t`, milliseconds since the child started. */
const out = (event: object) => process.stdout.write(`${JSON.stringify({ ...event, t: Date.now() - started })}\n`);
const session = new Session({
  transport: ndcTransport,
  logger: (level, message) => out({ ev: 'log', level, message }),
  // Every connection state the core reports, even two within one poll.
  tap: (event) => event.kind === 'connection-state' && out({ ev: 'connection-state', state: event.state }),
});
const pc = session.createPeerConnection();
let channel: DataChannel | null = null;
let role = 'answerer';
let announcedOpen = false;
let last = '';

const check = (error: GodotError, what: string) => {
  if (error !== GodotError.OK) out({ ev: 'error', message: `${what} returned ${error}` });
};

pc.connect('session_description_created', (type, sdp) => {
  check(pc.setLocalDescription(type, sdp), 'set_local_description');
  out({ ev: 'description', type, sdp });
});
pc.connect('ice_candidate_created', (mid, index, name) => out({ ev: 'candidate', mid, index, name }));
pc.connect('data_channel_received', (received) => (channel = received));

function tick(): void {
  pc.poll();
  const state = `${pc.getConnectionState()}/${pc.getGatheringState()}`;
  if (state !== last) {
    last = state;
    out({ ev: 'state', connection: pc.getConnectionState(), gathering: pc.getGatheringState() });
  }
  if (!channel) return;
  if (!announcedOpen && channel.getReadyState() === ChannelState.STATE_OPEN) {
    announcedOpen = true;
    out({ ev: 'open' });
    channel.setWriteMode(WriteMode.WRITE_MODE_TEXT);
    check(channel.putPacket(Buffer.from(`hello from the ${role}`)), 'put_packet');
  }
  while (channel.getAvailablePacketCount() > 0) {
    const data = channel.getPacket();
    out({ ev: 'message', text: Buffer.from(data).toString('utf8'), isString: channel.wasStringPacket() });
  }
}

function stop(): void {
  session.close();
  setTimeout(() => process.exit(0), 20);
}

function run(command: Command): void {
  switch (command.op) {
    case 'start':
      role = command.role;
      check(pc.initialize(command.config), 'initialize');
      if (role === 'offerer') {
        channel = pc.createDataChannel('hosts');
        check(pc.createOffer(), 'create_offer');
      }
      return;
    case 'description':
      check(pc.setRemoteDescription(command.type, command.sdp), 'set_remote_description');
      return;
    case 'candidate':
      check(pc.addIceCandidate(command.mid, command.index, command.name), 'add_ice_candidate');
      return;
    case 'stop':
      stop();
      return;
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  try {
    run(JSON.parse(line) as Command);
  } catch (error) {
    out({ ev: 'error', message: String(error) });
  }
}).on('close', stop);
setInterval(tick, 2);
setTimeout(stop, LIFETIME_MS).unref();
