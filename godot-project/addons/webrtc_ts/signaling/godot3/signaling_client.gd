# Godot 3 client of the signalling protocol (protocol.gd) over a WebSocketClient: joins a
# lobby and turns the server's messages into signals. multiplayer_client.gd builds the
# WebRTCMultiplayer mesh on top of it. Poll it by having it in the scene tree (_process) or
# by calling poll().
extends Node

const Protocol = preload("../protocol.gd")

# The lobby was joined; lobby_name is its name (give it to the peers that should join).
signal lobby_joined(lobby_name)
# This client's peer id in the lobby, and whether the lobby is a mesh.
signal connected(id, use_mesh)
# The WebSocket closed; code and reason are the server's (see signaling/README.md).
signal disconnected(code, reason)
signal peer_connected(id)
signal peer_disconnected(id)
signal offer_received(id, offer)
signal answer_received(id, answer)
signal candidate_received(id, mid, index, sdp)
signal lobby_sealed()

# Send JOIN as soon as the WebSocket opens.
var autojoin = true
# The lobby to join; "" creates one.
var lobby = ""
# Whether a lobby this client creates is a mesh (otherwise client-server).
var mesh = true
# How the last connection closed (1006 when it closed without a close frame).
var close_code = 1000
var close_reason = ""

var _ws = null


func connect_to_url(p_url):
	close()
	close_code = 1000
	close_reason = ""
	_ws = WebSocketClient.new()
	_ws.connect("connection_established", self, "_on_established")
	_ws.connect("connection_error", self, "_on_closed", [false])
	_ws.connect("connection_closed", self, "_on_closed")
	_ws.connect("server_close_request", self, "_on_close_request")
	_ws.connect("data_received", self, "_on_data")
	return _ws.connect_to_url(p_url)


func close():
	if _ws != null and _ws.get_connection_status() != NetworkedMultiplayerPeer.CONNECTION_DISCONNECTED:
		_ws.disconnect_from_host()


func is_open():
	return _ws != null and _ws.get_connection_status() == NetworkedMultiplayerPeer.CONNECTION_CONNECTED


func poll():
	if _ws != null and _ws.get_connection_status() != NetworkedMultiplayerPeer.CONNECTION_DISCONNECTED:
		_ws.poll()


func _process(_delta):
	poll()


func join_lobby(p_lobby):
	return _send(Protocol.JOIN, Protocol.JOIN_MESH if mesh else Protocol.JOIN_CLIENT_SERVER, p_lobby)


func seal_lobby():
	return _send(Protocol.SEAL, 0, "")


func send_offer(p_id, p_offer):
	return _send(Protocol.OFFER, p_id, p_offer)


func send_answer(p_id, p_answer):
	return _send(Protocol.ANSWER, p_id, p_answer)


func send_candidate(p_id, p_mid, p_index, p_sdp):
	return _send(Protocol.CANDIDATE, p_id, "\n%s\n%d\n%s" % [p_mid, p_index, p_sdp])


func _send(p_type, p_id, p_data):
	if not is_open():
		return ERR_UNCONFIGURED
	var text = JSON.print({"type": p_type, "id": p_id, "data": p_data})
	return _ws.get_peer(1).put_packet(text.to_utf8())


func _on_established(_protocol):
	_ws.get_peer(1).set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	if autojoin:
		join_lobby(lobby)


func _on_close_request(p_code, p_reason):
	close_code = p_code
	close_reason = p_reason


func _on_closed(p_was_clean):
	if not p_was_clean and close_code == 1000 and close_reason == "":
		close_code = 1006 # RFC 6455 7.4.1: closed without a close frame
	emit_signal("disconnected", close_code, close_reason)


func _on_data():
	var peer = _ws.get_peer(1)
	while peer.get_available_packet_count() > 0:
		if not _parse(peer.get_packet().get_string_from_utf8()):
			push_warning("signaling: a message from the server was not understood")


func _parse(p_text):
	var parsed = JSON.parse(p_text)
	if parsed.error != OK or typeof(parsed.result) != TYPE_DICTIONARY:
		return false
	var message = parsed.result
	if typeof(message.get("type")) != TYPE_REAL or typeof(message.get("id")) != TYPE_REAL \
			or typeof(message.get("data")) != TYPE_STRING:
		return false
	var type = int(message["type"])
	var id = int(message["id"])
	var data = message["data"]
	match type:
		Protocol.ID:
			emit_signal("connected", id, data == "true")
		Protocol.JOIN:
			lobby = data
			emit_signal("lobby_joined", data)
		Protocol.SEAL:
			emit_signal("lobby_sealed")
		Protocol.PEER_CONNECT:
			emit_signal("peer_connected", id)
		Protocol.PEER_DISCONNECT:
			emit_signal("peer_disconnected", id)
		Protocol.OFFER:
			emit_signal("offer_received", id, data)
		Protocol.ANSWER:
			emit_signal("answer_received", id, data)
		Protocol.CANDIDATE:
			var parts = data.split("\n", false)
			if parts.size() != 3 or not parts[1].is_valid_integer():
				return false
			emit_signal("candidate_received", id, parts[0], int(parts[1]), parts[2])
		_:
			return false
	return true
