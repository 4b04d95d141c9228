// A port that answers nothing and counts everything: TCP connections and UDP
// datagrams on one port number of 127.0.0.1. Pointing an ICE server URL at it
// shows whether the stack tried that server at all, over either transport.
import { type Socket as UdpSocket, createSocket } from 'node:dgram';
import { type Server, type Socket, createServer } from 'node:net';

export class Honeypot {
  readonly port: number;
  tcpConnections = 0;
  udpDatagrams = 0;
  readonly #tcp: Server;
  readonly #udp: UdpSocket;
  readonly #sockets = new Set<Socket>();

  private constructor(tcp: Server, udp: UdpSocket, port: number) {
    this.#tcp = tcp;
    this.#udp = udp;
    this.port = port;
    tcp.on('connection', (socket) => {
      this.tcpConnections++;
      this.#sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => this.#sockets.delete(socket));
    });
    udp.on('message', () => this.udpDatagrams++);
  }

  static async open(host = '127.0.0.1'): Promise<Honeypot> {
    for (let attempt = 0; ; attempt++) {
      const tcp = createServer();
      await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, host, resolve));
      const { port } = tcp.address() as { port: number };
      const udp = createSocket('udp4');
      const bound = await new Promise<boolean>((resolve) => udp.once('error', () => resolve(false)).bind(port, host, () => resolve(true)));
      if (bound) return new Honeypot(tcp, udp, port);
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (attempt >= 10) throw new Error('no port free for both TCP and UDP on ' + host);
    }
  }

  get touched(): number {
    return this.tcpConnections + this.udpDatagrams;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all([new Promise<void>((resolve) => this.#tcp.close(() => resolve())), new Promise<void>((resolve) => this.#udp.close(() => resolve()))]);
  }
}
