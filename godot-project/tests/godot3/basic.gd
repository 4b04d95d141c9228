# Two peers in one process: an in-band channel and a negotiated channel, opened and used in
# both directions; text and binary packets with NUL bytes; put_var/get_var; the channel
# getters on both sides; the connection states; an in-band channel created after connecting.
extends "res://tests/godot3/lib/scene.gd"

var pair
var inband
var negotiated_a
var negotiated_b
var unicode


func _initialize():
	c = Check.new("basic")
	pair = Pair.new()
	c.eq(pair.a.get_class(), "WebRTCPeerConnectionGDNative", "new() gives the GDNative class")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "new(): STATE_NEW")
	c.eq(pair.setup(), [OK, OK], "initialize() both")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "after initialize: STATE_NEW")

	inband = pair.a.create_data_channel("chat", {"protocol": "chat-v1"})
	# Godot 3.2 reads get_label()/get_protocol() from the library as 8-bit chars (engine
	# limit: non-ASCII comes back garbled); the bytes themselves must still cross intact.
	unicode = pair.a.create_data_channel("café ✓", {"protocol": "prøto"})
	negotiated_a = pair.a.create_data_channel("sync", {"negotiated": true, "id": 7})
	negotiated_b = pair.b.create_data_channel("sync", {"negotiated": true, "id": 7})
	c.ok(inband != null and negotiated_a != null and negotiated_b != null, "create_data_channel x3")
	if inband == null or negotiated_a == null or negotiated_b == null:
		c.finish(self)
		return
	c.eq(inband.get_ready_state(), WebRTCDataChannel.STATE_CONNECTING, "new channel: CONNECTING")
	c.eq(inband.get_label(), "chat", "label")
	c.eq(inband.get_protocol(), "chat-v1", "protocol")
	c.eq(inband.get_id(), 65535, "in-band id before negotiation: 65535")
	c.eq(inband.is_negotiated(), false, "in-band: is_negotiated false")
	c.eq(inband.is_ordered(), true, "ordered by default")
	c.eq(inband.get_max_packet_life_time(), 65535, "lifetime unset: 65535")
	c.eq(inband.get_max_retransmits(), 65535, "retransmits unset: 65535")
	c.eq(inband.write_mode, WebRTCDataChannel.WRITE_MODE_BINARY, "write_mode defaults to BINARY")
	c.eq(negotiated_a.get_id(), 7, "negotiated id")
	c.eq(negotiated_a.is_negotiated(), true, "negotiated: is_negotiated true")

	c.eq(pair.offer(), OK, "create_offer")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "create_offer alone keeps STATE_NEW")
	var connected = Check.pump([pair], funcref(self, "_connected"), 15000)
	c.ok(connected, "both peers CONNECTED")
	c.eq(pair.errors, [], "signalling calls all OK")
	c.eq(pair.descriptions, [["a", "offer"], ["b", "answer"]], "descriptions: offer from a, then answer from b")
	c.ok(pair.candidates_a > 0 and pair.candidates_b > 0, "candidates from both sides")
	if not connected:
		c.finish(self)
		return
	var open = Check.pump([pair], funcref(self, "_channels_open"), 10000)
	c.ok(open, "every channel OPEN and the in-band channel announced")
	if not open:
		c.finish(self)
		return
	c.eq(pair.received_a.size(), 0, "a receives no channel (it created the in-band one)")
	c.eq(pair.received_b.size(), 2, "b receives exactly the in-band channels (never negotiated ones)")
	var remote = _received_with_id(inband.get_id())
	var remote_unicode = _received_with_id(unicode.get_id())
	if not c.ok(remote != null and remote_unicode != null, "received channels match the sent ones by stream id"):
		c.finish(self)
		return
	c.eq(remote_unicode.get_label(), unicode.get_label(), "non-ASCII label: same bytes on both sides")
	c.eq(remote_unicode.get_protocol(), unicode.get_protocol(), "non-ASCII protocol: same bytes on both sides")
	c.eq(unicode.get_label().length(), "café ✓".to_utf8().size(), "Godot 3.2 shows one character per UTF-8 byte")
	c.eq(remote.get_label(), "chat", "received label")
	c.eq(remote.get_protocol(), "chat-v1", "received protocol")
	c.eq(remote.is_negotiated(), false, "received: is_negotiated false")
	c.ok(inband.get_id() != 65535, "in-band id assigned once open")

	_exchange(inband, remote, "in-band a->b")
	_exchange(remote, inband, "in-band b->a")
	_exchange(negotiated_a, negotiated_b, "negotiated a->b")
	_exchange(negotiated_b, negotiated_a, "negotiated b->a")

	# A channel created once connected opens over the existing association.
	var late = pair.b.create_data_channel("late", {"ordered": false})
	_late_channel = late
	c.ok(late != null, "create_data_channel once CONNECTED")
	if late != null:
		var ok = Check.pump([pair], funcref(self, "_late_ready"), 10000)
		c.ok(ok, "late channel opens and a receives it")
		if ok:
			c.eq(late.is_negotiated(), false, "late in-band channel: is_negotiated false (webrtc-native says true)")
			c.eq(pair.received_a.size(), 1, "a received the late channel")
			c.eq(pair.received_a[0].get_label(), "late", "late label")
			_exchange(late, pair.received_a[0], "late b->a")
	_late_channel = late

	pair.close()
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "close(): CLOSED")
	c.finish(self)


var _late_channel = null


func _connected():
	return pair.is_connected_pair()


func _channels_open():
	return inband.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_a.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_b.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and pair.received_b.size() == 2 \
			and pair.received_b[0].get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and pair.received_b[1].get_ready_state() == WebRTCDataChannel.STATE_OPEN


func _received_with_id(p_id):
	for ch in pair.received_b:
		if ch.get_id() == p_id:
			return ch
	return null


func _late_ready():
	# Both ends: the sender's own channel may open after the receiver's.
	return _late_channel.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
		and pair.received_a.size() == 1 and pair.received_a[0].get_ready_state() == WebRTCDataChannel.STATE_OPEN


var _wait_channel = null
var _wait_count = 0


func _has_packets():
	return _wait_channel.get_available_packet_count() >= _wait_count


# Send binary (with NULs), text (with NULs) and a Variant from p_from; read them on p_to.
func _exchange(p_from, p_to, p_what):
	var binary = Check.bytes([0, 1, 2, 0, 255, 0])
	# Godot 3's PacketPeer.put_packet() returns OK for an empty PoolByteArray without calling
	# the library (core/io/packet_peer.cpp): nothing is sent, so nothing may arrive.
	c.eq(p_from.put_packet(PoolByteArray()), OK, p_what + ": put_packet empty (engine: OK, not sent)")
	var text = "nul\u0000inside\u0000and after: é"
	p_from.write_mode = WebRTCDataChannel.WRITE_MODE_BINARY
	c.eq(p_from.put_packet(binary), OK, p_what + ": put_packet binary")
	p_from.write_mode = WebRTCDataChannel.WRITE_MODE_TEXT
	c.eq(p_from.put_packet(text.to_utf8()), OK, p_what + ": put_packet text")
	p_from.write_mode = WebRTCDataChannel.WRITE_MODE_BINARY
	c.eq(p_from.put_var({"answer": 42, "list": [1, "two", 3.5]}), OK, p_what + ": put_var")
	_wait_channel = p_to
	_wait_count = 3
	if not c.ok(Check.pump([pair], funcref(self, "_has_packets"), 10000), p_what + ": 3 packets arrive"):
		c.note("available: %d" % p_to.get_available_packet_count())
		while p_to.get_available_packet_count() > 0:
			c.note(str(p_to.get_packet()))
		return
	var got = p_to.get_packet()
	c.eq(p_to.get_packet_error(), OK, p_what + ": get_packet OK")
	c.eq(got, binary, p_what + ": binary bytes intact (NULs kept)")
	c.eq(p_to.was_string_packet(), false, p_what + ": binary is not a string packet")
	got = p_to.get_packet()
	c.eq(got.size(), text.to_utf8().size(), p_what + ": text length kept past NUL")
	c.eq(got, text.to_utf8(), p_what + ": text bytes intact")
	c.eq(p_to.was_string_packet(), true, p_what + ": text is a string packet")
	var v = p_to.get_var()
	c.eq(v, {"answer": 42, "list": [1, "two", 3.5]}, p_what + ": get_var")
	c.eq(p_to.get_available_packet_count(), 0, p_what + ": queue drained")
	p_to.get_packet()
	c.eq(p_to.get_packet_error(), ERR_UNAVAILABLE, p_what + ": empty queue: ERR_UNAVAILABLE")
