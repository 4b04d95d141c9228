# Two WebRTCPeerConnections in this Godot, signalled by direct calls from the signal
# handlers (as tests/godot4/lib/pair.gd does): a creates the channels, b receives them.
extends RefCounted

# Every configuration pins ICE to loopback: no ICE server, host candidates on 127.0.0.1.
const LOOPBACK := {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}

var a := WebRTCPeerConnection.new()
var b := WebRTCPeerConnection.new()
var labels := []
var channels_a := {} # label -> channel
var channels_b := {}
var errors := 0
var opened_usec := 0 # when is_open() first held (0 until then)


# initialize both, create p_channels ([[label, options], ...]) on a, create_offer.
func start(p_channels: Array) -> bool:
	if a.initialize(LOOPBACK.duplicate(true)) != OK or b.initialize(LOOPBACK.duplicate(true)) != OK:
		return false
	a.session_description_created.connect(_on_description.bind("a"))
	b.session_description_created.connect(_on_description.bind("b"))
	a.ice_candidate_created.connect(_on_candidate.bind("a"))
	b.ice_candidate_created.connect(_on_candidate.bind("b"))
	b.data_channel_received.connect(_on_channel)
	for spec in p_channels:
		var ch := a.create_data_channel(spec[0], spec[1])
		if ch == null:
			return false
		labels.append(spec[0])
		channels_a[spec[0]] = ch
	return a.create_offer() == OK


func _on_description(p_type: String, p_sdp: String, p_from: String) -> void:
	var from := a if p_from == "a" else b
	var to := b if p_from == "a" else a
	if from.set_local_description(p_type, p_sdp) != OK:
		errors += 1
	if to.set_remote_description(p_type, p_sdp) != OK:
		errors += 1


func _on_candidate(p_mid: String, p_index: int, p_name: String, p_from: String) -> void:
	var to := b if p_from == "a" else a
	if to.add_ice_candidate(p_mid, p_index, p_name) != OK:
		errors += 1


func _on_channel(p_channel: WebRTCDataChannel) -> void:
	channels_b[p_channel.get_label()] = p_channel


func poll() -> void:
	a.poll()
	b.poll()


# Every channel open on both ends (records the time the first time it holds).
func is_open() -> bool:
	if opened_usec != 0:
		return true
	for label in labels:
		if channels_a[label].get_ready_state() != WebRTCDataChannel.STATE_OPEN:
			return false
		if not channels_b.has(label) or channels_b[label].get_ready_state() != WebRTCDataChannel.STATE_OPEN:
			return false
	opened_usec = Time.get_ticks_usec()
	return true


func close() -> void:
	a.close()
	b.close()
