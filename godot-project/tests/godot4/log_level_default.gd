# Issue 12: at the default level (no project setting) no debug line and no line of
# libdatachannel's reaches the console, and a connection made to FAIL for real (a's
# certificate fingerprint changed on its way to b, so DTLS refuses it) says why in one error
# line per connection, once: b checks the fingerprint, a sees the handshake fail.
# (Godot 3: tests/godot3/log_level_default.gd.)
# runner-absent: [libdatachannel]
# runner-absent: webrtc_ts: connection state
# runner-absent: webrtc_ts/log_level
# runner-expect-once: the peer connection FAILED: the DTLS handshake failed: the remote's certificate does not match the fingerprint in its session description
# runner-expect-once: the peer connection FAILED: the DTLS handshake failed after ICE connected
extends "res://tests/godot4/lib/scene.gd"

var a: WebRTCPeerConnection = WebRTCPeerConnection.new()
var b: WebRTCPeerConnection = WebRTCPeerConnection.new()


func _initialize() -> void:
	c = Check.new("log_level_default")
	c.ok(not ProjectSettings.has_setting("webrtc_ts/log_level"), "no project setting")
	# A healthy pair first: at debug it would print state changes and the stack's lines.
	var pair := Pair.new()
	pair.setup()
	pair.a.create_data_channel("chat", {})
	c.ok(pair.connect_pair(), "a healthy pair connects")
	Check.pump_for([pair], 300)
	pair.close()
	# Then a pair whose offer reaches b with another fingerprint.
	c.eq(a.initialize(Check.loopback()), OK, "a.initialize")
	c.eq(b.initialize(Check.loopback()), OK, "b.initialize")
	a.session_description_created.connect(_on_description.bind(a, b, true))
	b.session_description_created.connect(_on_description.bind(b, a, false))
	a.ice_candidate_created.connect(_on_candidate.bind(b))
	b.ice_candidate_created.connect(_on_candidate.bind(a))
	a.create_data_channel("chat", {})
	c.eq(a.create_offer(), OK, "create_offer")
	c.ok(Check.pump([a, b], _both_failed, 20000), "both connections report STATE_FAILED")
	Check.pump_for([a, b], 1000) # a second FAILED line would come now
	c.eq(a.get_connection_state(), WebRTCPeerConnection.STATE_FAILED, "a stays FAILED")
	a.close()
	b.close()
	c.finish(self)


func _both_failed() -> bool:
	return a.get_connection_state() == WebRTCPeerConnection.STATE_FAILED \
			and b.get_connection_state() == WebRTCPeerConnection.STATE_FAILED


func _on_description(p_type: String, p_sdp: String, p_from: WebRTCPeerConnection, p_to: WebRTCPeerConnection, p_tamper: bool) -> void:
	c.eq(p_from.set_local_description(p_type, p_sdp), OK, "set_local_description(%s)" % p_type)
	var sdp := p_sdp
	if p_tamper:
		# The first byte of the sha-256 fingerprint, changed.
		var at := sdp.find("a=fingerprint:sha-256 ") + len("a=fingerprint:sha-256 ")
		var byte := sdp.substr(at, 2)
		sdp = sdp.substr(0, at) + ("01" if byte == "00" else "00") + sdp.substr(at + 2)
		c.ok(sdp != p_sdp, "the fingerprint was changed")
	c.eq(p_to.set_remote_description(p_type, sdp), OK, "set_remote_description(%s)" % p_type)


func _on_candidate(p_mid: String, p_index: int, p_name: String, p_to: WebRTCPeerConnection) -> void:
	c.eq(p_to.add_ice_candidate(p_mid, p_index, p_name), OK, "add_ice_candidate")
