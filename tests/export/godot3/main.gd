# The exported game's whole use of the addon: two peers in this process connect through
# plain WebRTCPeerConnection calls, each sends a packet on a negotiated channel and reads the
# other's, then the game prints one EXPORT-GAME line and quits 0 (1 on any failure).
extends Node

const CONFIG = {"iceServers": [], "libdatachannel": {"bindAddress": "127.0.0.1"}}
const TIMEOUT_MS = 20000

var a = WebRTCPeerConnection.new()
var b = WebRTCPeerConnection.new()
var channel_a
var channel_b
var started = 0
var sent = false
var done = false


func _ready():
	started = OS.get_ticks_msec()
	if a.initialize(CONFIG) != OK or b.initialize(CONFIG) != OK:
		return finish(false, "initialize() failed")
	a.connect("session_description_created", self, "_on_description", [a, b])
	b.connect("session_description_created", self, "_on_description", [b, a])
	a.connect("ice_candidate_created", self, "_on_candidate", [b])
	b.connect("ice_candidate_created", self, "_on_candidate", [a])
	channel_a = a.create_data_channel("game", {"negotiated": true, "id": 1})
	channel_b = b.create_data_channel("game", {"negotiated": true, "id": 1})
	if channel_a == null or channel_b == null:
		return finish(false, "create_data_channel() failed")
	if a.create_offer() != OK:
		return finish(false, "create_offer() failed")


func _on_description(p_type, p_sdp, p_from, p_to):
	if p_from.set_local_description(p_type, p_sdp) != OK or p_to.set_remote_description(p_type, p_sdp) != OK:
		finish(false, "a description was refused")


func _on_candidate(p_mid, p_index, p_candidate, p_to):
	if p_to.add_ice_candidate(p_mid, p_index, p_candidate) != OK:
		finish(false, "a candidate was refused")


func _process(_delta):
	if done:
		return
	a.poll()
	b.poll()
	if OS.get_ticks_msec() - started > TIMEOUT_MS:
		return finish(false, "no exchange within %d ms" % TIMEOUT_MS)
	var open = WebRTCDataChannel.STATE_OPEN
	if not sent and channel_a.get_ready_state() == open and channel_b.get_ready_state() == open:
		channel_a.put_packet("from a".to_utf8())
		channel_b.put_packet("from b".to_utf8())
		sent = true
	if sent and channel_a.get_available_packet_count() > 0 and channel_b.get_available_packet_count() > 0:
		var at_a = channel_a.get_packet().get_string_from_utf8()
		var at_b = channel_b.get_packet().get_string_from_utf8()
		finish(at_a == "from b" and at_b == "from a", "a got '%s', b got '%s'" % [at_a, at_b])


func finish(p_ok, p_why):
	if done:
		return
	done = true
	print("EXPORT-GAME %s: %s" % ["PASS" if p_ok else "FAIL", p_why])
	a.close()
	b.close()
	get_tree().quit(0 if p_ok else 1)
