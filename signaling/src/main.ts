// `npm run signaling -- --port N [--host ADDRESS] [limits]`: runs the signalling server until
// SIGINT or SIGTERM. Prints "signaling server listening on ws://HOST:PORT" once it listens
// (with --port 0, that line tells the port); exits 2 on a bad command line, 1 when the
// address cannot be bound.
import { parseCommandLine, usage } from './command-line.js';
import { SignalingServer } from './signaling-server.js';

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'help') {
    console.log(usage());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`signaling: ${parsed.message}\n${usage()}`);
    return 2;
  }
  const { host, port, limits, quiet } = parsed.command;
  let server: SignalingServer;
  try {
    server = await SignalingServer.listen({ host, port, limits, log: quiet ? undefined : (line) => console.log(line) });
  } catch (error) {
    console.error(`signaling: cannot listen on ${host}:${port}: ${(error as Error).message}`);
    return 1;
  }
  console.log(`signaling server listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  console.log('signaling server stopped');
  return 0;
}
