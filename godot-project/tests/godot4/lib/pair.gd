# Two WebRTCPeerConnections in this process, signalled by direct calls: each side's
# description and candidates go straight to the other side from the signal handlers, the
# way a script with a signalling server would pass them on.
extends RefCounted

const Check = preload("res://tests/godot4/lib/check.gd")

var a: WebRTCPeerConnection = WebRTCPeerConnection.new()
var b: WebRTCPeerConnection = WebRTCPeerConnection.new()
var received := {"a": [], "b": []} # channels announced by data_channel_received (kept)
var candidates := {"a": 0, "b": 0} # ice_candidate_created counts
var indexes := {"a": [], "b": []} # m-line indexes of the candidates
var events := [] # [side, "description:<type>" | "candidate" | "channel:<label>"] in order
var local_set := {"a": false, "b": false}
var errors := [] # non-OK results of the signalling calls, and order violations
var keep_received := true


# initialize() both (loopback unless told) and wire the signals. Returns the two results.
func setup(p_config_a: Variant = null, p_config_b: Variant = null) -> Array:
	var ea := a.initialize(p_config_a if p_config_a != null else Check.loopback())
	var eb := b.initialize(p_config_b if p_config_b != null else Check.loopback())
	wire()
	return [ea, eb]


func wire() -> void:
	a.session_description_created.connect(_on_description.bind("a"))
	b.session_description_created.connect(_on_description.bind("b"))
	a.ice_candidate_created.connect(_on_candidate.bind("a"))
	b.ice_candidate_created.connect(_on_candidate.bind("b"))
	a.data_channel_received.connect(_on_channel.bind("a"))
	b.data_channel_received.connect(_on_channel.bind("b"))


func side(p_name: String) -> WebRTCPeerConnection:
	return a if p_name == "a" else b


func other(p_name: String) -> WebRTCPeerConnection:
	return b if p_name == "a" else a


func _on_description(p_type: String, p_sdp: String, p_side: String) -> void:
	events.append([p_side, "description:" + p_type])
	var e := side(p_side).set_local_description(p_type, p_sdp)
	if e != OK:
		errors.append("%s set_local_description(%s) = %d" % [p_side, p_type, e])
	local_set[p_side] = true
	if other(p_side) != null:
		e = other(p_side).set_remote_description(p_type, p_sdp)
		if e != OK:
			errors.append("%s set_remote_description(%s) = %d" % [p_side, p_type, e])


func _on_candidate(p_media: String, p_index: int, p_name: String, p_side: String) -> void:
	events.append([p_side, "candidate"])
	candidates[p_side] += 1
	indexes[p_side].append(p_index)
	if not local_set[p_side]:
		errors.append("%s: ice_candidate_created before set_local_description" % p_side)
	if other(p_side) != null:
		var e := other(p_side).add_ice_candidate(p_media, p_index, p_name)
		if e != OK:
			errors.append("%s add_ice_candidate = %d" % [p_side, e])


func _on_channel(p_channel: WebRTCDataChannel, p_side: String) -> void:
	events.append([p_side, "channel:" + p_channel.get_label()])
	if keep_received:
		received[p_side].append(p_channel)


func poll() -> void:
	if a != null:
		a.poll()
	if b != null:
		b.poll()


func received_channel(p_side: String, p_label: String) -> WebRTCDataChannel:
	for channel in received[p_side]:
		if channel.get_label() == p_label:
			return channel
	return null


func is_connected_pair() -> bool:
	return a.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED \
			and b.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED


# Offer from a, then poll until both sides are CONNECTED. Returns whether they did in time.
func connect_pair(p_timeout_ms: int = 15000) -> bool:
	if a.create_offer() != OK:
		return false
	return Check.pump([self], is_connected_pair, p_timeout_ms)


# Poll until every listed channel is OPEN.
func open(p_channels: Array, p_timeout_ms: int = 15000) -> bool:
	return Check.pump([self], _all_open.bind(p_channels), p_timeout_ms)


func _all_open(p_channels: Array) -> bool:
	for channel in p_channels:
		if channel == null or channel.get_ready_state() != WebRTCDataChannel.STATE_OPEN:
			return false
	return true


func close() -> void:
	if a != null:
		a.close()
	if b != null:
		b.close()
