// The lobbies and what clients do with them: join (creating a lobby when the name is empty),
// seal, relay offers, answers and candidates, and leave. Each operation either does its work
// or returns the Refusal the requesting client is closed with; it never throws.
import type { Client } from './client.js';
import type { Limits } from './limits.js';
import { Lobby } from './lobby.js';
import { CloseCode, type Refusal } from './protocol/close-code.js';
import type { ClientMessage } from './protocol/client-message.js';
import { MessageType, messageTypeName } from './protocol/message-type.js';
import { HOST_PEER_ID, randomLobbyName, randomPeerId } from './random-names.js';

type Log = (line: string) => void;

const protocolError = (reason: string): Refusal => ({ code: CloseCode.PROTOCOL_ERROR, reason });

export class LobbyService {
  readonly #lobbies = new Map<string, Lobby<Client>>();
  readonly #limits: Limits;
  readonly #log: Log;

  constructor(limits: Limits, log: Log) {
    this.#limits = limits;
    this.#log = log;
  }

  get lobbyCount(): number {
    return this.#lobbies.size;
  }

  handle(client: Client, message: ClientMessage): Refusal | null {
    switch (message.kind) {
      case 'join':
        return this.#join(client, message.lobby, message.mesh);
      case 'seal':
        return this.#seal(client);
      case 'relay':
        return this.#relay(client, message.type, message.to, message.data);
    }
  }

  #join(client: Client, name: string, mesh: boolean): Refusal | null {
    if (client.lobby) return protocolError('Already in a lobby');
    let lobby: Lobby<Client>;
    if (name === '') {
      if (this.#lobbies.size >= this.#limits.maxLobbies) {
        return { code: CloseCode.TOO_MANY_LOBBIES, reason: `Too many lobbies open (the limit is ${this.#limits.maxLobbies})` };
      }
      let fresh = randomLobbyName();
      while (this.#lobbies.has(fresh)) fresh = randomLobbyName();
      lobby = new Lobby<Client>(fresh, mesh);
      this.#lobbies.set(fresh, lobby);
      client.id = HOST_PEER_ID;
      this.#log(`lobby ${lobby.label} created (${mesh ? 'mesh' : 'client-server'}); ${this.#lobbies.size} open`);
    } else {
      const found = this.#lobbies.get(name);
      if (!found) return { code: CloseCode.LOBBY_UNAVAILABLE, reason: 'Lobby does not exist' };
      if (found.sealed) return { code: CloseCode.LOBBY_UNAVAILABLE, reason: 'Lobby is sealed' };
      if (found.size >= this.#limits.maxPeersPerLobby) {
        return { code: CloseCode.LOBBY_FULL, reason: `Lobby is full (the limit is ${this.#limits.maxPeersPerLobby} peers)` };
      }
      lobby = found;
      client.id = randomPeerId((id) => lobby.knows(id));
    }
    client.lobby = lobby;
    lobby.admit(client);
    client.send(MessageType.JOIN, 0, lobby.name);
    this.#log(`peer ${client.id} joined lobby ${lobby.label}; ${lobby.size} in it`);
    return null;
  }

  #seal(client: Client): Refusal | null {
    const lobby = client.lobby;
    if (!lobby) return protocolError('SEAL before joining a lobby');
    if (client.id !== HOST_PEER_ID) return protocolError(`Only the lobby's host (peer ${HOST_PEER_ID}) can seal it`);
    if (lobby.sealed) return null; // sealing twice changes nothing
    lobby.seal();
    this.#log(`lobby ${lobby.label} sealed with ${lobby.size} peers; closing in ${this.#limits.sealCloseMs} ms`);
    lobby.sealTimer = setTimeout(() => this.closeLobby(lobby, { code: CloseCode.SEAL_COMPLETE, reason: 'Seal complete' }), this.#limits.sealCloseMs);
    return null;
  }

  #relay(client: Client, type: MessageType, to: number, data: string): Refusal | null {
    const lobby = client.lobby;
    if (!lobby) return protocolError(`${messageTypeName(type)} before joining a lobby`);
    const destination = lobby.route(client.id, to);
    if (destination === null) return protocolError(`Invalid destination: peer ${to} is not a peer you can reach in this lobby`);
    if (destination !== 'departed') destination.send(type, client.id, data);
    return null;
  }

  /** `client` leaves its lobby (it closed, or is being closed). */
  leave(client: Client): void {
    const lobby = client.lobby;
    if (!lobby) return;
    client.lobby = null;
    lobby.remove(client.id);
    this.#log(`peer ${client.id} left lobby ${lobby.label}; ${lobby.size} in it`);
    if (lobby.closing) return; // closeLobby() forgets it
    if (lobby.size === 0) {
      this.#forget(lobby, 'empty');
    } else if (!lobby.mesh && client.id === HOST_PEER_ID && !lobby.sealed) {
      this.closeLobby(lobby, { code: CloseCode.HOST_LEFT, reason: "The lobby's host left" });
    }
  }

  /** Closes every peer of `lobby` with `refusal` and forgets the lobby. */
  closeLobby(lobby: Lobby<Client>, refusal: Refusal): void {
    lobby.closing = true;
    for (const client of lobby.members()) {
      this.leave(client);
      client.close(refusal);
    }
    this.#forget(lobby, refusal.reason);
  }

  /** Closes every lobby (shutdown). */
  closeAll(refusal: Refusal): void {
    for (const lobby of [...this.#lobbies.values()]) this.closeLobby(lobby, refusal);
  }

  #forget(lobby: Lobby<Client>, why: string): void {
    if (lobby.sealTimer) clearTimeout(lobby.sealTimer);
    lobby.sealTimer = null;
    if (this.#lobbies.get(lobby.name) === lobby) {
      this.#lobbies.delete(lobby.name);
      this.#log(`lobby ${lobby.label} closed (${why}); ${this.#lobbies.size} open`);
    }
  }
}
