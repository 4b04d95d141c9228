/**
 * The doorbell: one byte on a socket inherited from the Godot process. `ring()` sends one
 * (only when the ring layer said the other side sleeps); `wait()` resolves at the next byte.
 * The socket also tells liveness: when the other process exits, it closes.
 */
import { Socket } from 'node:net';

export type WaitResult = 'rung' | 'timeout' | 'closed';

const ONE_BYTE = Buffer.from([1]);

export class Doorbell {
  readonly #socket: Socket;
  #waiters: Array<(result: WaitResult) => void> = [];
  #listener: (() => void) | undefined;
  #closed = false;
  #rings = 0;
  #wakeups = 0;

  /** A descriptor (POSIX: the inherited socket) or a socket already made (Windows: the pipe). */
  constructor(source: number | Socket) {
    this.#socket =
      typeof source === 'number' ? new Socket({ fd: source, readable: true, writable: true, allowHalfOpen: false }) : source;
    this.#socket.on('data', () => {
      this.#wakeups++;
      this.#settle('rung');
      this.#listener?.();
    });
    const onClosed = (): void => {
      this.#closed = true;
      this.#settle('closed');
    };
    this.#socket.on('close', onClosed);
    this.#socket.on('end', onClosed);
    this.#socket.on('error', onClosed);
  }

  /** Bytes sent by this side: each one is one system call on the sending path. */
  get rings(): number {
    return this.#rings;
  }

  /** Bursts of bytes received (wakeups, including spurious ones). */
  get wakeups(): number {
    return this.#wakeups;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Wake the other side (call only when the ring layer returned true). */
  ring(): void {
    if (this.#closed) return;
    this.#rings++;
    this.#socket.write(ONE_BYTE);
  }

  /**
   * Call `listener` for every burst of bytes received (the event-driven form of `wait`, for
   * a worker that drains its rings from the event loop); undefined removes it.
   */
  onRing(listener: (() => void) | undefined): void {
    this.#listener = listener;
  }

  /** Resolve at the next byte received after this call, at `timeoutMs`, or when closed. */
  wait(timeoutMs: number): Promise<WaitResult> {
    if (this.#closed) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve('timeout');
      }, timeoutMs);
      const waiter = (result: WaitResult): void => {
        clearTimeout(timer);
        resolve(result);
      };
      this.#waiters.push(waiter);
    });
  }

  /** Stop keeping the event loop alive for the doorbell alone. */
  unref(): void {
    this.#socket.unref();
  }

  close(): void {
    this.#socket.destroy();
    this.#closed = true;
    this.#settle('closed');
  }

  #settle(result: WaitResult): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter(result);
  }
}
