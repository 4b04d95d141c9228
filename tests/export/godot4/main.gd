# The exported game's whole use of the addon (Godot 4): two peers in this process connect
# through plain WebRTCPeerConnection calls, each sends a packet on a negotiated channel and
# reads the other's, then the game prints one EXPORT-GAME line and quits 0 (1 on failure).
extends Node

const CONFIG = {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}
const TIMEOUT_MS = 20000

var a := WebRTCPeerConnection.new()
var b := WebRTCPeerConnection.new()
var channel_a: WebRTCDataChannel
var channel_b: WebRTCDataChannel
var started := 0
var sent := false
var done := false


func _ready() -> void:
	started = Time.get_ticks_msec()
	if a.initialize(CONFIG) != OK or b.initialize(CONFIG) != OK:
		finish(false, "initialize() failed")
		return
	a.session_description_created.connect(_on_description.bind(a, b))
	b.session_description_created.connect(_on_description.bind(b, a))
	a.ice_candidate_created.connect(_on_candidate.bind(b))
	b.ice_candidate_created.connect(_on_candidate.bind(a))
	channel_a = a.create_data_channel("game", {"negotiated": true, "id": 1})
	channel_b = b.create_data_channel("game", {"negotiated": true, "id": 1})
	if channel_a == null or channel_b == null:
		finish(false, "create_data_channel() failed")
		return
	if a.create_offer() != OK:
		finish(false, "create_offer() failed")
		return


func _on_description(p_type: String, p_sdp: String, p_from: WebRTCPeerConnection, p_to: WebRTCPeerConnection) -> void:
	if p_from.set_local_description(p_type, p_sdp) != OK or p_to.set_remote_description(p_type, p_sdp) != OK:
		finish(false, "a description was refused")


func _on_candidate(p_mid: String, p_index: int, p_candidate: String, p_to: WebRTCPeerConnection) -> void:
	if p_to.add_ice_candidate(p_mid, p_index, p_candidate) != OK:
		finish(false, "a candidate was refused")


func _process(_delta: float) -> void:
	if done:
		return
	a.poll()
	b.poll()
	if Time.get_ticks_msec() - started > TIMEOUT_MS:
		finish(false, "no exchange within %d ms" % TIMEOUT_MS)
		return
	var open := WebRTCDataChannel.STATE_OPEN
	if not sent and channel_a.get_ready_state() == open and channel_b.get_ready_state() == open:
		channel_a.put_packet("from a".to_utf8_buffer())
		channel_b.put_packet("from b".to_utf8_buffer())
		sent = true
	if sent and channel_a.get_available_packet_count() > 0 and channel_b.get_available_packet_count() > 0:
		var at_a := channel_a.get_packet().get_string_from_utf8()
		var at_b := channel_b.get_packet().get_string_from_utf8()
		finish(at_a == "from b" and at_b == "from a", "a got '%s', b got '%s'" % [at_a, at_b])


func finish(p_ok: bool, p_why: String) -> void:
	if done:
		return
	done = true
	print("EXPORT-GAME %s: %s" % ["PASS" if p_ok else "FAIL", p_why])
	a.close()
	b.close()
	get_tree().quit(0 if p_ok else 1)
