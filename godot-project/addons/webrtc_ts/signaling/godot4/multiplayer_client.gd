# Godot 4: a WebRTCMultiplayerPeer built from a signalling lobby. start() joins (or creates) a
# lobby; on ID the peer is created as a mesh (or as server / client in a client-server lobby)
# and becomes this node's multiplayer peer; on each PEER_CONNECT a WebRTCPeerConnection is
# made and added, and the peer with the larger id offers (so the lobby's host, peer 1, never
# does); offers, answers and candidates go through the server; on PEER_DISCONNECT the peer is
# removed. Once the lobby is sealed the server closes the WebSocket and the mesh carries on.
#
#   var client = preload("res://addons/webrtc_ts/signaling/godot4/multiplayer_client.gd").new()
#   client.webrtc_config = {"iceServers": [{"urls": ["stun:stun.example.org:3478"]}]}
#   add_child(client)
#   client.start("ws://127.0.0.1:9080", "")   # "" creates a lobby: see lobby_joined
extends "signaling_client.gd"

# What each WebRTCPeerConnection is initialize()d with. Peers behind NAT need a STUN server,
# and TURN for the strictest NATs; the default is the public STUN server the demo uses.
var webrtc_config := {"iceServers": [{"urls": ["stun:stun.l.google.com:19302"]}]}
# Set this node's multiplayer.multiplayer_peer to rtc_mp once the lobby gives an id.
var assign_multiplayer_peer := true
var rtc_mp := WebRTCMultiplayerPeer.new()
var sealed := false


func _init() -> void:
	connected.connect(_on_connected)
	disconnected.connect(_on_disconnected)
	lobby_sealed.connect(_on_sealed)
	peer_connected.connect(_on_peer_connected)
	peer_disconnected.connect(_on_peer_disconnected)
	offer_received.connect(_on_offer)
	answer_received.connect(_on_answer)
	candidate_received.connect(_on_candidate)


# Joins p_lobby ("" creates one, a mesh unless p_mesh is false) on the server at p_url.
func start(p_url: String, p_lobby: String = "", p_mesh: bool = true) -> Error:
	stop()
	sealed = false
	lobby = p_lobby
	mesh = p_mesh
	return connect_to_url(p_url)


func stop() -> void:
	if assign_multiplayer_peer and is_inside_tree() and multiplayer.multiplayer_peer == rtc_mp:
		multiplayer.multiplayer_peer = null
	rtc_mp.close()
	close()


func _on_connected(p_id: int, p_use_mesh: bool) -> void:
	# A closed WebRTCMultiplayerPeer can be created again; a fresh one keeps nothing stale.
	rtc_mp = WebRTCMultiplayerPeer.new()
	var err: Error
	if p_use_mesh:
		err = rtc_mp.create_mesh(p_id)
	elif p_id == 1:
		err = rtc_mp.create_server()
	else:
		err = rtc_mp.create_client(p_id)
	if err != OK:
		push_error("signaling: creating the WebRTCMultiplayerPeer as %d failed: %s" % [p_id, error_string(err)])
		return
	if assign_multiplayer_peer and is_inside_tree():
		multiplayer.multiplayer_peer = rtc_mp


func _on_disconnected(_code: int, _reason: String) -> void:
	if not sealed:
		stop() # signalling lost before the lobby was sealed: the session is over


func _on_sealed() -> void:
	sealed = true


func _on_peer_connected(p_id: int) -> void:
	var connection := WebRTCPeerConnection.new()
	var err := connection.initialize(webrtc_config)
	if err != OK:
		push_error("signaling: WebRTCPeerConnection.initialize failed for peer %d: %s" % [p_id, error_string(err)])
		return
	connection.session_description_created.connect(_on_description.bind(p_id))
	connection.ice_candidate_created.connect(_on_ice_candidate.bind(p_id))
	err = rtc_mp.add_peer(connection, p_id)
	if err != OK:
		push_error("signaling: WebRTCMultiplayerPeer.add_peer(%d) failed: %s" % [p_id, error_string(err)])
		return
	if p_id < rtc_mp.get_unique_id():
		connection.create_offer()


func _on_peer_disconnected(p_id: int) -> void:
	if rtc_mp.has_peer(p_id):
		rtc_mp.remove_peer(p_id)


func _connection(p_id: int) -> WebRTCPeerConnection:
	if not rtc_mp.has_peer(p_id):
		return null
	return rtc_mp.get_peer(p_id)["connection"]


func _on_description(p_type: String, p_sdp: String, p_id: int) -> void:
	var connection := _connection(p_id)
	if connection == null:
		return
	connection.set_local_description(p_type, p_sdp)
	if p_type == "offer":
		send_offer(p_id, p_sdp)
	else:
		send_answer(p_id, p_sdp)


func _on_ice_candidate(p_mid: String, p_index: int, p_sdp: String, p_id: int) -> void:
	send_candidate(p_id, p_mid, p_index, p_sdp)


func _on_offer(p_id: int, p_offer: String) -> void:
	var connection := _connection(p_id)
	if connection != null:
		connection.set_remote_description("offer", p_offer)


func _on_answer(p_id: int, p_answer: String) -> void:
	var connection := _connection(p_id)
	if connection != null:
		connection.set_remote_description("answer", p_answer)


func _on_candidate(p_id: int, p_mid: String, p_index: int, p_sdp: String) -> void:
	var connection := _connection(p_id)
	if connection != null:
		connection.add_ice_candidate(p_mid, p_index, p_sdp)
