# Godot 3: a WebRTCMultiplayer built from a signalling lobby. start() joins (or creates) a
# lobby; on ID the WebRTCMultiplayer is initialized with the lobby's peer id and becomes this
# node's network peer; on each PEER_CONNECT a WebRTCPeerConnection is made and added, and the
# peer with the larger id offers (so the lobby's host, peer 1, never does); offers, answers and
# candidates go through the server; on PEER_DISCONNECT the peer is removed. Once the lobby is
# sealed the server closes the WebSocket and the mesh carries on without it.
#
#   var client = preload("res://addons/webrtc_ts/signaling/godot3/multiplayer_client.gd").new()
#   client.webrtc_config = {"iceServers": [{"urls": ["stun:stun.example.org:3478"]}]}
#   add_child(client)
#   client.start("ws://127.0.0.1:9080", "")   # "" creates a lobby: see lobby_joined
extends "signaling_client.gd"

# What each WebRTCPeerConnection is initialize()d with. Peers behind NAT need a STUN server,
# and TURN for the strictest NATs; the default is the public STUN server the demo uses.
var webrtc_config = {"iceServers": [{"urls": ["stun:stun.l.google.com:19302"]}]}
# Set this node's multiplayer.network_peer to rtc_mp once the lobby gives an id.
var assign_network_peer = true
var rtc_mp = WebRTCMultiplayer.new()
var sealed = false


func _init():
	connect("connected", self, "_on_connected")
	connect("disconnected", self, "_on_disconnected")
	connect("lobby_sealed", self, "_on_sealed")
	connect("peer_connected", self, "_on_peer_connected")
	connect("peer_disconnected", self, "_on_peer_disconnected")
	connect("offer_received", self, "_on_offer")
	connect("answer_received", self, "_on_answer")
	connect("candidate_received", self, "_on_candidate")


# Joins p_lobby ("" creates one, a mesh unless p_mesh is false) on the server at p_url.
func start(p_url, p_lobby = "", p_mesh = true):
	stop()
	sealed = false
	lobby = p_lobby
	mesh = p_mesh
	return connect_to_url(p_url)


func stop():
	if assign_network_peer and is_inside_tree():
		var api = get_multiplayer() # a local: Godot 3 would write "multiplayer" back otherwise
		if api.network_peer == rtc_mp:
			api.network_peer = null
	rtc_mp.close()
	close()


func _on_connected(p_id, p_use_mesh):
	# Godot 3's WebRTCMultiplayer is a mesh unless server_compatibility is on.
	var err = rtc_mp.initialize(p_id, not p_use_mesh)
	if err != OK:
		push_error("signaling: WebRTCMultiplayer.initialize(%d) failed: %d" % [p_id, err])
		return
	if assign_network_peer and is_inside_tree():
		var api = get_multiplayer()
		api.network_peer = rtc_mp


func _on_disconnected(_code, _reason):
	if not sealed:
		stop() # signalling lost before the lobby was sealed: the session is over


func _on_sealed():
	sealed = true


func _on_peer_connected(p_id):
	var connection = WebRTCPeerConnection.new()
	var err = connection.initialize(webrtc_config)
	if err != OK:
		push_error("signaling: WebRTCPeerConnection.initialize failed for peer %d: %d" % [p_id, err])
		return
	connection.connect("session_description_created", self, "_on_description", [p_id])
	connection.connect("ice_candidate_created", self, "_on_ice_candidate", [p_id])
	err = rtc_mp.add_peer(connection, p_id)
	if err != OK:
		push_error("signaling: WebRTCMultiplayer.add_peer(%d) failed: %d" % [p_id, err])
		return
	if p_id < rtc_mp.get_unique_id():
		connection.create_offer()


func _on_peer_disconnected(p_id):
	if rtc_mp.has_peer(p_id):
		rtc_mp.remove_peer(p_id)


func _connection(p_id):
	return rtc_mp.get_peer(p_id)["connection"] if rtc_mp.has_peer(p_id) else null


func _on_description(p_type, p_sdp, p_id):
	var connection = _connection(p_id)
	if connection == null:
		return
	connection.set_local_description(p_type, p_sdp)
	if p_type == "offer":
		send_offer(p_id, p_sdp)
	else:
		send_answer(p_id, p_sdp)


func _on_ice_candidate(p_mid, p_index, p_sdp, p_id):
	send_candidate(p_id, p_mid, p_index, p_sdp)


func _on_offer(p_id, p_offer):
	var connection = _connection(p_id)
	if connection != null:
		connection.set_remote_description("offer", p_offer)


func _on_answer(p_id, p_answer):
	var connection = _connection(p_id)
	if connection != null:
		connection.set_remote_description("answer", p_answer)


func _on_candidate(p_id, p_mid, p_index, p_sdp):
	var connection = _connection(p_id)
	if connection != null:
		connection.add_ice_candidate(p_mid, p_index, p_sdp)
