// The message types of the signalling protocol spoken by Godot's `networking/webrtc_signaling`
// demo (godotengine/godot-demo-projects, Godot 4 version; its README's "Protocol" section
// numbers them). Every message, either way, is one WebSocket text frame holding the JSON
// object {"type": <MessageType>, "id": <integer>, "data": <string>}.

export const MessageType = {
  /** client → server: join the lobby named in `data` ("" creates one); `id` 0 = mesh,
   *  1 = client-server. server → client: `data` is the lobby's name, sent after a join. */
  JOIN: 0,
  /** server → client: `id` is the client's peer id in the lobby (1 for the lobby's host);
   *  `data` is "true" in a mesh lobby, "" otherwise. */
  ID: 1,
  /** server → client: peer `id` is in the lobby (already there, or just joined). */
  PEER_CONNECT: 2,
  /** server → client: peer `id` left the lobby. */
  PEER_DISCONNECT: 3,
  /** Relayed. client → server: `id` is the destination; server → client: `id` is the sender. */
  OFFER: 4,
  ANSWER: 5,
  /** `data` is "\n<mid>\n<m-line index>\n<candidate>". */
  CANDIDATE: 6,
  /** client → server: the host seals its lobby; server → clients: the lobby is sealed. */
  SEAL: 7,
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** The types a client relays to another peer through the server. */
export type RelayType = typeof MessageType.OFFER | typeof MessageType.ANSWER | typeof MessageType.CANDIDATE;

/** A message type's name, for error reasons and logs. */
export function messageTypeName(type: number): string {
  for (const [name, value] of Object.entries(MessageType)) {
    if (value === type) return name;
  }
  return `unknown type ${type}`;
}
