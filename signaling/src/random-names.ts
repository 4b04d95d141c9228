// Peer ids and lobby names, from the operating system's CSPRNG: a lobby's name is its only
// secret (anyone who knows it may join), so it must not be guessable.
import { randomInt } from 'node:crypto';
import { MAX_PEER_ID } from './protocol/client-message.js';

/** 1 is the lobby host's id (Godot's MultiplayerPeer.TARGET_PEER_SERVER); others are 2 and up. */
export const HOST_PEER_ID = 1;

const LOBBY_NAME_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 20 characters of 62: about 119 bits. */
export const LOBBY_NAME_LENGTH = 20;

export function randomLobbyName(): string {
  let name = '';
  for (let i = 0; i < LOBBY_NAME_LENGTH; i++) name += LOBBY_NAME_ALPHABET[randomInt(LOBBY_NAME_ALPHABET.length)];
  return name;
}

/** A peer id from 2 to MAX_PEER_ID that `taken` does not hold. */
export function randomPeerId(taken: (id: number) => boolean): number {
  for (;;) {
    const id = randomInt(HOST_PEER_ID + 1, MAX_PEER_ID + 1);
    if (!taken(id)) return id;
  }
}
