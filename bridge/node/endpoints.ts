/**
 * Where the worker finds the region and the doorbell the Godot process gave it, by platform
 * (the C side is bridge/client/wc_platform_*.c):
 *
 *   Linux, macOS  the region on REGION_FD, the doorbell socket on DOORBELL_FD
 *   Windows       the region's file-mapping handle value in ENV_REGION_HANDLE, the name of
 *                 the doorbell's named pipe in ENV_DOORBELL_PIPE (the worker connects to it)
 */
import { writeSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { DOORBELL_FD, ENV_DOORBELL_PIPE, ENV_REGION_HANDLE, REGION_FD } from '../protocol/protocol.js';
import { Doorbell } from './doorbell.js';

export interface WorkerEndpoints {
  /** What shm.node's map() takes: a descriptor (POSIX) or a handle value (Windows). */
  readonly region: number;
  /** For log lines: "fd 3", "handle 1234". */
  readonly regionName: string;
  readonly doorbell: Doorbell;
  /** One doorbell byte, never throwing (a full or closed doorbell needs no byte). */
  ring(): void;
  /** Resolves once the doorbell is usable (Windows: the pipe is connected). */
  readonly ready: Promise<void>;
}

const ONE_BYTE = new Uint8Array([1]);

export function openWorkerEndpoints(): WorkerEndpoints {
  if (process.platform !== 'win32') {
    return {
      region: REGION_FD,
      regionName: `fd ${REGION_FD}`,
      doorbell: new Doorbell(DOORBELL_FD),
      // One write(2) per ring, without the stream machinery of socket.write (which cost a
      // fifth of the worker's CPU when the client sleeps often). The socket is non-blocking:
      // EAGAIN means bytes are already pending, so the client wakes anyway; EPIPE means it is
      // gone and the doorbell's EOF ends the link.
      ring: () => {
        try {
          writeSync(DOORBELL_FD, ONE_BYTE);
        } catch {
          // see above
        }
      },
      ready: Promise.resolve(),
    };
  }
  const handle = Number(process.env[ENV_REGION_HANDLE] ?? '');
  const pipe = process.env[ENV_DOORBELL_PIPE] ?? '';
  const socket: Socket = connect(pipe);
  const doorbell = new Doorbell(socket);
  return {
    region: Number.isSafeInteger(handle) && handle > 0 ? handle : -1,
    regionName: `handle ${process.env[ENV_REGION_HANDLE] ?? '(none)'}`,
    doorbell,
    ring: () => doorbell.ring(),
    ready: new Promise((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('error', () => resolve()); // the doorbell reports it closed
    }),
  };
}
