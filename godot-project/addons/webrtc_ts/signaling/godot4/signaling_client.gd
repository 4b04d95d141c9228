# Godot 4 client of the signalling protocol (../protocol.gd) over a WebSocketPeer: joins a
# lobby and turns the server's messages into signals. multiplayer_client.gd builds the
# WebRTCMultiplayerPeer on top of it. Poll it by having it in the scene tree (_process) or by
# calling poll(). Godot 3 never loads this file (godot3/ holds its own client).
extends Node

const Protocol = preload("../protocol.gd")

# The lobby was joined; lobby_name is its name (give it to the peers that should join).
signal lobby_joined(lobby_name: String)
# This client's peer id in the lobby, and whether the lobby is a mesh.
signal connected(id: int, use_mesh: bool)
# The WebSocket closed; code and reason are the server's (see signaling/README.md).
signal disconnected(code: int, reason: String)
signal peer_connected(id: int)
signal peer_disconnected(id: int)
signal offer_received(id: int, offer: String)
signal answer_received(id: int, answer: String)
signal candidate_received(id: int, mid: String, index: int, sdp: String)
signal lobby_sealed()

# Send JOIN as soon as the WebSocket opens.
var autojoin := true
# The lobby to join; "" creates one.
var lobby := ""
# Whether a lobby this client creates is a mesh (otherwise client-server).
var mesh := true
# How the last connection closed (-1 when it closed without a close frame).
var close_code := 1000
var close_reason := ""

var _ws: WebSocketPeer = null
var _old_state := WebSocketPeer.STATE_CLOSED


func connect_to_url(p_url: String) -> Error:
	close()
	close_code = 1000
	close_reason = ""
	_ws = WebSocketPeer.new()
	_old_state = WebSocketPeer.STATE_CLOSED
	return _ws.connect_to_url(p_url)


func close() -> void:
	if _ws != null and _ws.get_ready_state() != WebSocketPeer.STATE_CLOSED:
		_ws.close()


func is_open() -> bool:
	return _ws != null and _ws.get_ready_state() == WebSocketPeer.STATE_OPEN


func poll() -> void:
	if _ws == null:
		return
	_ws.poll()
	var state := _ws.get_ready_state()
	if state != _old_state and state == WebSocketPeer.STATE_OPEN and autojoin:
		join_lobby(lobby)
	while state == WebSocketPeer.STATE_OPEN and _ws.get_available_packet_count() > 0:
		if not _parse(_ws.get_packet().get_string_from_utf8()):
			push_warning("signaling: a message from the server was not understood")
	var was := _old_state
	_old_state = state
	if state != was and state == WebSocketPeer.STATE_CLOSED:
		close_code = _ws.get_close_code()
		close_reason = _ws.get_close_reason()
		disconnected.emit(close_code, close_reason)


func _process(_delta: float) -> void:
	poll()


func join_lobby(p_lobby: String) -> Error:
	return _send(Protocol.JOIN, Protocol.JOIN_MESH if mesh else Protocol.JOIN_CLIENT_SERVER, p_lobby)


func seal_lobby() -> Error:
	return _send(Protocol.SEAL, 0, "")


func send_offer(p_id: int, p_offer: String) -> Error:
	return _send(Protocol.OFFER, p_id, p_offer)


func send_answer(p_id: int, p_answer: String) -> Error:
	return _send(Protocol.ANSWER, p_id, p_answer)


func send_candidate(p_id: int, p_mid: String, p_index: int, p_sdp: String) -> Error:
	return _send(Protocol.CANDIDATE, p_id, "\n%s\n%d\n%s" % [p_mid, p_index, p_sdp])


func _send(p_type: int, p_id: int, p_data: String) -> Error:
	if not is_open():
		return ERR_UNCONFIGURED
	return _ws.send_text(JSON.stringify({"type": p_type, "id": p_id, "data": p_data}))


func _parse(p_text: String) -> bool:
	var message: Variant = JSON.parse_string(p_text)
	if typeof(message) != TYPE_DICTIONARY:
		return false
	var type_value: Variant = message.get("type")
	var id_value: Variant = message.get("id")
	var data: Variant = message.get("data")
	if typeof(type_value) != TYPE_FLOAT or typeof(id_value) != TYPE_FLOAT or typeof(data) != TYPE_STRING:
		return false
	var type := int(type_value)
	var id := int(id_value)
	if type == Protocol.ID:
		connected.emit(id, data == "true")
	elif type == Protocol.JOIN:
		lobby = data
		lobby_joined.emit(data)
	elif type == Protocol.SEAL:
		lobby_sealed.emit()
	elif type == Protocol.PEER_CONNECT:
		peer_connected.emit(id)
	elif type == Protocol.PEER_DISCONNECT:
		peer_disconnected.emit(id)
	elif type == Protocol.OFFER:
		offer_received.emit(id, data)
	elif type == Protocol.ANSWER:
		answer_received.emit(id, data)
	elif type == Protocol.CANDIDATE:
		var parts: PackedStringArray = (data as String).split("\n", false)
		if parts.size() != 3 or not parts[1].is_valid_int():
			return false
		candidate_received.emit(id, parts[0], parts[1].to_int(), parts[2])
	else:
		return false
	return true
