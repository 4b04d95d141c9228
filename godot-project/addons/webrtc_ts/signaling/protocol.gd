# The signalling protocol's message types, shared by the Godot 3 and the Godot 4 clients (this
# file is valid GDScript in both). They are the `type` of every JSON message
# {"type": int, "id": int, "data": String} between a client and the server (signaling/ in the
# repository, or the server of Godot's networking/webrtc_signaling demo).

# client -> server: join the lobby named in "data" ("" creates one); "id" 0 = mesh,
# 1 = client-server. server -> client: "data" is the lobby's name.
const JOIN = 0
# server -> client: "id" is this client's peer id (1 for the lobby's host); "data" is "true"
# in a mesh lobby.
const ID = 1
# server -> client: peer "id" is in the lobby.
const PEER_CONNECT = 2
# server -> client: peer "id" left the lobby.
const PEER_DISCONNECT = 3
# Relayed through the server: "id" is the destination when sent, the sender when received.
const OFFER = 4
const ANSWER = 5
# "data" is "\n<mid>\n<m-line index>\n<candidate>".
const CANDIDATE = 6
# client -> server: the host seals its lobby; server -> client: the lobby is sealed.
const SEAL = 7

# JOIN's "id": the lobby's topology.
const JOIN_MESH = 0
const JOIN_CLIENT_SERVER = 1
