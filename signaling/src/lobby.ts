// One lobby: its peers by id, who sees whom, and what each is told when someone joins or
// leaves. In a mesh lobby every peer sees every other; in a client-server lobby the host
// (peer 1) sees everyone and the others see only the host, as in the demo's GDScript server.
import { MessageType } from './protocol/message-type.js';
import { HOST_PEER_ID } from './random-names.js';

export interface LobbyMember {
  readonly id: number;
  send(type: MessageType, id: number, data?: string): void;
}

/** Ids of peers that left, kept so a message racing a departure is dropped, not refused. */
export const DEPARTED_IDS_KEPT = 256;

export class Lobby<M extends LobbyMember = LobbyMember> {
  readonly name: string;
  readonly mesh: boolean;
  readonly #members = new Map<number, M>();
  readonly #departed = new Set<number>();
  #sealed = false;
  /** Set while the server closes every peer at once (sealing done, host gone, shutdown):
   *  nobody is told about departures any more. */
  closing = false;
  sealTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(name: string, mesh: boolean) {
    this.name = name;
    this.mesh = mesh;
  }

  /** The name cut short for logs: the whole name is the lobby's only secret. */
  get label(): string {
    return `${this.name.slice(0, 4)}…`;
  }

  get size(): number {
    return this.#members.size;
  }

  get sealed(): boolean {
    return this.#sealed;
  }

  members(): M[] {
    return [...this.#members.values()];
  }

  /** Whether `id` is or was in this lobby (a new peer never gets such an id). */
  knows(id: number): boolean {
    return this.#members.has(id) || this.#departed.has(id);
  }

  #see(a: number, b: number): boolean {
    return a !== b && (this.mesh || a === HOST_PEER_ID || b === HOST_PEER_ID);
  }

  /** Adds `member`: it gets ID, then each peer it sees and each of those peers get
   *  PEER_CONNECT for the other (the demo's order; the server sends JOIN last). */
  admit(member: M): void {
    member.send(MessageType.ID, member.id, this.mesh ? 'true' : '');
    for (const other of this.#members.values()) {
      if (!this.#see(member.id, other.id)) continue;
      other.send(MessageType.PEER_CONNECT, member.id);
      member.send(MessageType.PEER_CONNECT, other.id);
    }
    this.#members.set(member.id, member);
  }

  /** Removes peer `id`. Before sealing, the peers that saw it get PEER_DISCONNECT; after
   *  sealing the peers are connected among themselves and leaving signalling is expected. */
  remove(id: number): void {
    if (!this.#members.delete(id)) return;
    this.#departed.add(id);
    if (this.#departed.size > DEPARTED_IDS_KEPT) {
      const oldest = this.#departed.values().next().value;
      if (oldest !== undefined) this.#departed.delete(oldest);
    }
    if (this.#sealed || this.closing) return;
    for (const other of this.#members.values()) {
      if (this.#see(id, other.id)) other.send(MessageType.PEER_DISCONNECT, id);
    }
  }

  /** Where `from` may send a relayed message to `to`: the member, "departed" when `to` left
   *  (the message is dropped), or null when `to` is not a peer `from` sees. */
  route(from: number, to: number): M | 'departed' | null {
    if (!this.#see(from, to)) return null;
    const member = this.#members.get(to);
    if (member) return member;
    return this.#departed.has(to) ? 'departed' : null;
  }

  /** Seals the lobby: no one may join any more; every peer gets SEAL. */
  seal(): void {
    this.#sealed = true;
    for (const member of this.#members.values()) member.send(MessageType.SEAL, 0);
  }
}
