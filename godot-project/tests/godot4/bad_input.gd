# Every bad input a Godot 4 script can make (docs/semantics.md): an Error or a null channel,
# never a crash, and the object stays usable. Each bad call also prints one error line
# (Godot's console; not checked here).
extends "res://tests/godot4/lib/scene.gd"


func _initialize() -> void:
	c = Check.new("bad_input")
	_initialize_options()
	_channel_options()
	_signalling()
	_remote_grammar()
	_packets()
	c.finish(self)


func _with(p_extra: Dictionary) -> Dictionary:
	var config := Check.loopback()
	for key in p_extra:
		config[key] = p_extra[key]
	return config


func _initialize_options() -> void:
	var p := WebRTCPeerConnection.new()
	var bad := [
		["configuration key of the wrong type", {"iceServers": 5}],
		["iceServers not an Array", {"iceServers": "stun:127.0.0.1"}],
		["iceServers entry not a Dictionary", {"iceServers": ["stun:127.0.0.1"]}],
		["urls missing", {"iceServers": [{}]}],
		["urls of the wrong type", {"iceServers": [{"urls": 5}]}],
		["malformed URL (webrtc-native #145 crashes)", {"iceServers": [{"urls": "stun:"}]}],
		["unknown URL scheme", {"iceServers": [{"urls": "http://127.0.0.1"}]}],
		["TURN without credentials", {"iceServers": [{"urls": "turn:127.0.0.1:3478"}]}],
		["iceTransportPolicy unknown", {"iceTransportPolicy": "sometimes"}],
		["libdatachannel not a Dictionary", {"libdatachannel": 5}],
		["portRangeBegin > portRangeEnd", {"libdatachannel": {"bindAddress": "127.0.0.1", "portRangeBegin": 6000, "portRangeEnd": 5000}}],
		["port out of range", {"libdatachannel": {"bindAddress": "127.0.0.1", "portRangeBegin": 70000, "portRangeEnd": 70001}}],
		["mtu below 576", {"libdatachannel": {"bindAddress": "127.0.0.1", "mtu": 100}}],
		["bindAddress not an IP", {"libdatachannel": {"bindAddress": "localhost.invalid"}}],
		["maxMessageSize too large", {"libdatachannel": {"bindAddress": "127.0.0.1", "maxMessageSize": 100000000}}],
		["enableIceTcp not a bool", {"libdatachannel": {"bindAddress": "127.0.0.1", "enableIceTcp": "yes"}}],
		["URL with white space", {"iceServers": [{"urls": " stun:127.0.0.1"}]}],
		["URL with an empty query", {"iceServers": [{"urls": "turn:127.0.0.1?", "username": "u", "credential": "p"}]}],
		["URL host a malformed IPv4 address", {"iceServers": [{"urls": "stun:999.1.1.1"}]}],
		["URL IPv6 with a zone", {"iceServers": [{"urls": "stun:[fe80::1%eth0]:3478"}]}],
	]
	for case in bad:
		c.eq(p.initialize(_with(case[1])), ERR_INVALID_PARAMETER, "initialize: " + case[0])
		c.eq(p.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "initialize: " + case[0] + ": state stays NEW")
	c.eq(p.initialize(_with({"someUnknownKey": [1, 2], "libdatachannel": {"bindAddress": "127.0.0.1", "alsoUnknown": true}})),
			OK, "initialize: unknown keys are ignored")
	c.eq(p.initialize(_with({"ice_servers": [{"urls": "stun:127.0.0.1"}]})), OK,
			"initialize: a misspelt key is ignored (one warning names iceServers)")
	var good := _with({"iceServers": [{"urls": ["stun:127.0.0.1:3478", "turn:127.0.0.1:3478?transport=udp"],
			"username": "u", "credential": "p"}], "iceTransportPolicy": "all"})
	c.eq(p.initialize(good), OK, "initialize: stun + turn with credentials (never contacted: no offer is made)")
	c.eq(p.initialize(Check.loopback()), OK, "initialize again after errors")
	p.close()


func _channel_options() -> void:
	var p := WebRTCPeerConnection.new()
	c.eq(p.initialize(Check.loopback()), OK, "channels: initialize")
	var bad := [
		["negotiated without id", {"negotiated": true}],
		["negotiated id -1", {"negotiated": true, "id": -1}],
		["negotiated id 65535", {"negotiated": true, "id": 65535}],
		["negotiated id 70000", {"negotiated": true, "id": 70000}],
		["negotiated id above the stack's 1023", {"negotiated": true, "id": 2000}],
		["negotiated not a bool", {"negotiated": "true", "id": 1}],
		["id not an int", {"negotiated": true, "id": "1"}],
		["both lifetime and retransmits", {"maxPacketLifeTime": 100, "maxRetransmits": 3}],
		["both spellings of lifetime and retransmits", {"maxPacketLifetime": 100, "maxRetransmits": 3}],
		["retransmits negative", {"maxRetransmits": -1}],
		["retransmits above 65535", {"maxRetransmits": 70000}],
		["lifetime negative", {"maxPacketLifeTime": -5}],
		["lifetime not an int", {"maxPacketLifeTime": "soon"}],
		["ordered not a bool", {"ordered": "yes"}],
		["protocol not a String", {"protocol": 5}],
		["protocol longer than 65535 bytes", {"protocol": Check.ascii(65536)}],
	]
	for case in bad:
		c.ok(p.create_data_channel("bad", case[1]) == null, "create_data_channel: " + case[0] + ": null")
	c.ok(p.create_data_channel(Check.ascii(65536), {}) == null, "create_data_channel: label longer than 65535 bytes: null")
	var long_label := p.create_data_channel(Check.ascii(65535, "L"), {})
	c.ok(long_label != null and long_label.get_label().length() == 65535, "create_data_channel: 65535-byte label kept")
	var first := p.create_data_channel("dup", {"negotiated": true, "id": 5})
	c.ok(first != null, "negotiated id 5")
	c.ok(p.create_data_channel("dup2", {"negotiated": true, "id": 5}) == null, "a second negotiated id 5: null")
	var ignored := p.create_data_channel("id-without-negotiated", {"id": 9})
	c.ok(ignored != null and not ignored.is_negotiated(), "id without negotiated: ignored (warning), in-band channel")
	var fine := p.create_data_channel("fine", {"ordered": false, "maxRetransmits": 0, "protocol": "p"})
	c.ok(fine != null, "valid options still work after bad ones")
	p.close()
	c.ok(p.create_data_channel("after-close", {}) == null, "create_data_channel on a CLOSED connection: null")
	c.ok(fine != null and fine.get_ready_state() == WebRTCDataChannel.STATE_CLOSED, "its channels are CLOSED")


func _signalling() -> void:
	var p := WebRTCPeerConnection.new()
	p.initialize(Check.loopback())
	var descriptions := []
	var candidates := []
	p.session_description_created.connect(func(p_type: String, p_sdp: String): descriptions.append([p_type, p_sdp]))
	p.ice_candidate_created.connect(func(_mid: String, _index: int, p_name: String): candidates.append(p_name))
	c.eq(p.create_offer(), ERR_UNCONFIGURED, "create_offer without a channel: ERR_UNCONFIGURED")
	c.ok(p.set_local_description("offer", "v=0\r\n") != OK, "set_local_description with nothing pending: an Error")
	c.eq(p.set_remote_description("offer", "this is not SDP"), ERR_INVALID_PARAMETER, "set_remote_description: garbage SDP")
	c.eq(p.set_remote_description("banana", "v=0\r\n"), ERR_INVALID_PARAMETER, "set_remote_description: unknown type")
	c.eq(p.set_remote_description("answer", "v=0\r\n"), ERR_INVALID_PARAMETER, "set_remote_description: answer while stable")
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_STABLE, "signaling state unchanged")
	c.eq(p.add_ice_candidate("0", 0, "candidate:garbage"), ERR_INVALID_PARAMETER, "add_ice_candidate: malformed")
	c.eq(p.add_ice_candidate("0", 0, ""), OK, "add_ice_candidate: empty name means end of candidates")
	c.eq(p.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "still NEW after bad signalling")

	p.create_data_channel("x", {})
	c.eq(p.create_offer(), OK, "create_offer with a channel")
	c.ok(Check.pump([p], func(): return descriptions.size() > 0), "offer delivered")
	if descriptions.is_empty():
		return
	var sdp: String = descriptions[0][1]
	c.eq(candidates.size(), 0, "no ice_candidate_created before set_local_description")
	c.ok(p.set_local_description("answer", sdp) != OK, "set_local_description with the wrong type: an Error")
	var munged := sdp.replace("a=setup:actpass", "a=setup:active")
	if munged == sdp:
		munged = sdp + "a=x-munged:1\r\n"
	c.eq(p.set_local_description("offer", munged), ERR_INVALID_PARAMETER, "set_local_description: munged SDP")
	c.eq(p.set_local_description("offer", sdp.replace("\r\n", "\n")), OK, "set_local_description: same SDP, LF line endings")
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_HAVE_LOCAL_OFFER, "HAVE_LOCAL_OFFER")
	c.ok(Check.pump([p], func(): return candidates.size() > 0), "candidates follow set_local_description")
	c.ok(p.create_offer() != OK, "create_offer in HAVE_LOCAL_OFFER: an Error")
	var answer := _chromium("active")
	c.eq(p.set_remote_description("answer", answer.replace("a=max-message-size:262144", "a=max-message-size:big")),
			ERR_INVALID_PARAMETER, "set_remote_description: answer with a non-numeric max-message-size")
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_HAVE_LOCAL_OFFER, "still HAVE_LOCAL_OFFER")
	c.eq(p.set_remote_description("answer", answer.replace("a=max-message-size:262144", "a=max-message-size:18446744073709551616")),
			OK, "set_remote_description: Chromium answer with a max-message-size above 2^64 - 1 (issue 9)")
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_STABLE, "STABLE after the answer")
	p.close()
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_CLOSED, "SIGNALING_STATE_CLOSED after close()")
	c.ok(p.create_offer() != OK, "create_offer after close: an Error")
	c.ok(p.set_remote_description("answer", sdp) != OK, "set_remote_description after close: an Error")
	c.eq(p.poll(), OK, "poll after close: OK")


# A data-channel description shaped like Chromium's (RFC 8866, RFC 8841), for the grammar checks.
const FINGERPRINT := "a=fingerprint:sha-256 29:72:BB:04:4D:96:DF:28:71:BA:03:4C:95:DE:27:70:B9:02:4B:94:DD:26:6F:B8:01:4A:93:DC:25:6E:B7:00"


func _chromium(p_setup: String) -> String:
	return "\r\n".join(PackedStringArray(["v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
			"a=extmap-allow-mixed", "a=msid-semantic: WMS", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
			"c=IN IP4 0.0.0.0", "a=ice-ufrag:Qx7v", "a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe", "a=ice-options:trickle",
			FINGERPRINT, "a=setup:" + p_setup, "a=mid:0", "a=sctp-port:5000", "a=max-message-size:262144", ""]))


# Remote SDP and candidates checked against their grammars (issue 9): each malformed one is
# ERR_INVALID_PARAMETER and the connection takes a valid one afterwards.
func _remote_grammar() -> void:
	var p := WebRTCPeerConnection.new()
	p.initialize(Check.loopback())
	var offer := _chromium("actpass")
	var host := "a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host"
	var bad := [
		["max-message-size not a number", offer.replace("a=max-message-size:262144", "a=max-message-size:big")],
		["max-message-size negative", offer.replace("a=max-message-size:262144", "a=max-message-size:-1")],
		["sctp-port 70000", offer.replace("a=sctp-port:5000", "a=sctp-port:70000")],
		["BUNDLE names a mid no m-line has", offer.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1")],
		["o= session id not a number", offer.replace("o=- 4611731400430051336", "o=- abc")],
		["m= port 70000", offer.replace("m=application 9 ", "m=application 70000 ")],
		["lines out of order", offer.replace("t=0 0", "t=0 0\r\nc=IN IP4 0.0.0.0")],
		["setup role unknown", offer.replace("a=setup:actpass", "a=setup:client")],
		["fingerprint of the wrong length", offer.replace(FINGERPRINT, "a=fingerprint:sha-256 AB:CD")],
		["inline candidate with generation x", offer.replace("a=mid:0", "a=mid:0\r\n" + host + " generation x")],
		["ice-ufrag of 3 characters", offer.replace("a=ice-ufrag:Qx7v", "a=ice-ufrag:Qx7")],
		["ice-pwd of 21 characters", offer.replace("a=ice-pwd:T2m9c0vF1bq8yKJwZs4hPdLe", "a=ice-pwd:T2m9c0vF1bq8yKJwZs4hP")],
	]
	for case in bad:
		c.eq(p.set_remote_description("offer", case[1]), ERR_INVALID_PARAMETER, "set_remote_description: " + case[0])
	c.eq(p.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_STABLE, "signaling state unchanged by malformed SDP")
	var line := "candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host"
	var bad_candidates := [
		["generation x", line + " generation x"],
		["ufrag of 3 characters", line + " generation 0 ufrag Qx7"],
		["network-cost negative", line + " network-cost -1"],
		["rport 70000", line + " raddr 10.0.0.1 rport 70000"],
		["tcptype on a UDP candidate", line + " tcptype active"],
	]
	for case in bad_candidates:
		c.eq(p.add_ice_candidate("0", 0, case[1]), ERR_INVALID_PARAMETER, "add_ice_candidate: " + case[0])
	c.eq(p.set_remote_description("offer", offer), OK, "set_remote_description: a Chromium offer after the bad ones")
	c.eq(p.add_ice_candidate("0", 0, line + " generation 0 network-id 1 network-cost 10"), OK,
			"add_ice_candidate: a Chromium candidate with its extension attributes")
	p.close()


func _packets() -> void:
	var pair := Pair.new()
	pair.setup()
	var channel_a := pair.a.create_data_channel("data", {})
	c.eq(channel_a.put_packet(Check.bytes([1])), FAILED, "put_packet while CONNECTING: FAILED")
	if not c.ok(pair.connect_pair() and pair.open([channel_a])
			and Check.pump([pair], func(): return pair.received["b"].size() == 1), "packets: connected"):
		return
	var channel_b: WebRTCDataChannel = pair.received["b"][0]
	if not c.ok(pair.open([channel_b]), "the received channel is open"):
		return
	# Godot 4 scripts cannot call get_max_packet_size(); two libdatachannel peers negotiate 262144.
	var max_size := 262144
	var big := PackedByteArray()
	big.resize(max_size + 1)
	c.eq(channel_a.put_packet(big), ERR_INVALID_PARAMETER, "put_packet above the maximum: ERR_INVALID_PARAMETER")
	big.resize(max_size)
	c.eq(channel_a.put_packet(big), OK, "put_packet of exactly the maximum: OK")
	channel_a.write_mode = WebRTCDataChannel.WRITE_MODE_TEXT
	c.eq(channel_a.put_packet(Check.bytes([0x66, 0xff, 0xfe])), ERR_INVALID_PARAMETER, "text mode, invalid UTF-8")
	channel_a.set("write_mode", 7)
	c.eq(channel_a.write_mode, WebRTCDataChannel.WRITE_MODE_TEXT, "an invalid write mode is refused (one error line)")
	channel_a.write_mode = WebRTCDataChannel.WRITE_MODE_BINARY
	Check.pump([pair], func(): return channel_b.get_available_packet_count() >= 1)
	Check.pump_for([pair], 200)
	c.eq(channel_b.get_available_packet_count(), 1, "only the valid packet arrived")
	c.eq(channel_b.get_packet().size(), max_size, "the maximum-size packet arrived whole")
	channel_b.get_packet()
	c.eq(channel_b.get_packet_error(), ERR_UNAVAILABLE, "get_packet on an empty queue: ERR_UNAVAILABLE")
	channel_a.close()
	c.eq(channel_a.put_packet(Check.bytes([1])), FAILED, "put_packet after close: FAILED")
	pair.close()
