// Issue 12 (diagnostics): a TURN server that refuses the credentials is named
// in the FAILED line with its 401, which only libdatachannel's log says
// (extension/src/core/failure-reason.ts). Debian's coturn on 127.0.0.1.
import { expect, it } from 'vitest';
import { Session } from '../../extension/src/api/session.js';
import { ConnectionState, GodotError } from '../../extension/src/godot/enums.generated.js';
import { collectLogs, pollUntil, wire } from '../../extension/src/testing/loopback.js';
import { ndcTransport } from '../../extension/src/transport/ndc-transport.js';
import { Coturn } from './coturn.js';

it('wrong TURN credentials, relay only: one FAILED line per connection naming the server and its 401, at the default level', async () => {
  const turn = await Coturn.start({ listen: ['127.0.0.1'], users: { diag: 'right-secret' } });
  const { lines, logger } = collectLogs();
  const session = new Session({ transport: ndcTransport, logger, logLevel: 'warning' });
  try {
    const config = {
      iceServers: [{ urls: `turn:127.0.0.1:${turn.port}`, username: 'diag', credential: 'wrong-secret' }],
      iceTransportPolicy: 'relay',
      libdatachannel: { bindAddress: '127.0.0.1' },
    };
    const a = session.createPeerConnection();
    const b = session.createPeerConnection();
    expect(a.initialize(config)).toBe(GodotError.OK);
    expect(b.initialize(config)).toBe(GodotError.OK);
    a.createDataChannel('turn');
    wire(a, b);
    expect(a.createOffer()).toBe(GodotError.OK);
    await pollUntil([a, b], () => a.getConnectionState() === ConnectionState.STATE_FAILED, 10_000, 'a FAILED');
    await turn.waitForLog((log) => log.includes('401'), 5_000, 'coturn to answer 401');
    await new Promise((r) => setTimeout(r, 500));
    a.poll();
    b.poll();
    const expected = `the peer connection FAILED: with iceTransportPolicy "relay" no relay candidate was gathered: the TURN server (turn:127.0.0.1:${turn.port}) refused the username and credential (401 Unauthorized)`;
    // a offered, so its TURN allocation was refused; b may not have gathered yet (no offer answered).
    const errors = lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors[0]).toBe(expected);
    expect(errors.filter((m) => m.startsWith('the peer connection FAILED')).every((m) => m === expected)).toBe(true);
    expect(errors.filter((m) => m === expected).length).toBeLessThanOrEqual(2);
  } finally {
    session.close();
    await turn.stop();
  }
}, 30_000);
