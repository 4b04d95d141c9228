# Packets over in-band, negotiated and unreliable channels, both ways: binary and text
# messages with NUL bytes, was_string_packet, put_var/get_var, 200 packets in order, the
# largest packet, and the unreliable kinds (unordered, maxRetransmits 0; maxPacketLifeTime).
extends "res://tests/godot4/lib/scene.gd"


func _initialize() -> void:
	c = Check.new("channels")
	var p := Pair.new()
	c.eq(p.setup(), [OK, OK], "initialize(loopback) on both")
	var chat := p.a.create_data_channel("chat")
	var neg_a := p.a.create_data_channel("neg", {"negotiated": true, "id": 3})
	var neg_b := p.b.create_data_channel("neg", {"negotiated": true, "id": 3})
	var lossy := p.a.create_data_channel("lossy", {"ordered": false, "maxRetransmits": 0})
	var timed := p.a.create_data_channel("timed", {"ordered": true, "maxPacketLifeTime": 100})
	c.ok(p.connect_pair(), "connected")
	c.ok(p.open([chat, neg_a, neg_b, lossy, timed]), "channels open on a")
	c.ok(Check.pump([p], func(): return p.received["b"].size() == 3), "b received chat, lossy, timed")
	var chat_b := p.received_channel("b", "chat")
	var lossy_b := p.received_channel("b", "lossy")
	var timed_b := p.received_channel("b", "timed")
	if chat_b == null or lossy_b == null or timed_b == null:
		c.ok(false, "the received channels are there")
		c.finish(self)
		return
	c.ok(p.open([chat_b, lossy_b, timed_b]), "received channels open on b")

	var binary := Check.bytes([0, 1, 98, 0, 255, 0])
	c.eq(chat.put_packet(binary), OK, "put_packet(binary with NULs)")
	c.eq(Check.receive([p], chat_b), binary, "b gets the bytes intact")
	c.eq(chat_b.was_string_packet(), false, "was_string_packet() false for binary")

	chat.write_mode = WebRTCDataChannel.WRITE_MODE_TEXT
	var text := "text".to_utf8_buffer() + Check.bytes([0]) + "with ✓ NUL".to_utf8_buffer() + Check.bytes([0])
	c.eq(chat.put_packet(text), OK, "put_packet(text with NULs) in text mode")
	c.eq(Check.receive([p], chat_b), text, "b gets the text message with every byte after the NULs")
	c.eq(chat_b.was_string_packet(), true, "was_string_packet() true for text")
	chat.write_mode = WebRTCDataChannel.WRITE_MODE_BINARY

	c.eq(chat_b.put_packet("pong".to_utf8_buffer()), OK, "the received channel sends back")
	c.eq(Check.receive([p], chat).get_string_from_utf8(), "pong", "a gets pong")

	var value := {"n": 42, "list": [1, "two", 3.5], "nested": {"bytes": PackedByteArray([0, 7])}, "s": "é"}
	c.eq(chat.put_var(value), OK, "put_var(Dictionary)")
	c.ok(Check.pump([p], func(): return chat_b.get_available_packet_count() > 0), "it arrives")
	c.eq(chat_b.get_var(), value, "get_var() gives the same Dictionary")
	c.eq(neg_a.put_var(Vector3(1, 2, 3)), OK, "put_var(Vector3) on the negotiated channel")
	c.ok(Check.pump([p], func(): return neg_b.get_available_packet_count() > 0), "it arrives on b's negotiated channel")
	c.eq(neg_b.get_var(), Vector3(1, 2, 3), "get_var() on b")
	c.eq(neg_b.put_packet("back".to_utf8_buffer()), OK, "negotiated channel b -> a")
	c.eq(Check.receive([p], neg_a).get_string_from_utf8(), "back", "a gets it")

	for i in range(200):
		chat.put_packet(("m%03d" % i).to_utf8_buffer())
	c.ok(Check.pump([p], func(): return chat_b.get_available_packet_count() >= 200), "200 packets arrive")
	var in_order := true
	for i in range(200):
		in_order = in_order and chat_b.get_packet().get_string_from_utf8() == "m%03d" % i
	c.ok(in_order, "in order")

	# Godot 4 scripts cannot call get_max_packet_size() (only the extension
	# virtual exists; the C host tests it): two libdatachannel peers negotiate 262144.
	var largest := 262144
	var big := PackedByteArray()
	big.resize(largest)
	big.fill(7)
	big[0] = 0
	c.eq(chat.put_packet(big), OK, "put_packet of get_max_packet_size() bytes (%d)" % largest)
	c.eq(Check.receive([p], chat_b).size(), largest, "it arrives whole")

	c.eq([lossy.is_ordered(), lossy.get_max_retransmits()], [false, 0], "lossy: unordered, maxRetransmits 0")
	c.eq([timed.is_ordered(), timed.get_max_packet_life_time()], [true, 100], "timed: ordered, maxPacketLifeTime 100")
	for i in range(20):
		lossy.put_packet(Check.bytes([i]))
		timed.put_packet(Check.bytes([i]))
	Check.pump_for([p], 500)
	var lossy_count := lossy_b.get_available_packet_count()
	var timed_count := timed_b.get_available_packet_count()
	c.note("unreliable channels on loopback: %d/20 and %d/20 arrived" % [lossy_count, timed_count])
	c.ok(lossy_count > 0 and timed_count > 0, "unreliable channels deliver")
	var timed_in_order := true
	var last := -1
	while timed_b.get_available_packet_count() > 0:
		var n: int = timed_b.get_packet()[0]
		timed_in_order = timed_in_order and n > last
		last = n
	c.ok(timed_in_order, "the ordered unreliable channel keeps order")
	c.eq(chat.get_packet().size(), 0, "get_packet() with nothing queued gives nothing")
	c.eq(chat.get_packet_error(), ERR_UNAVAILABLE, "and get_packet_error() is ERR_UNAVAILABLE")
	c.ok(chat.get_buffered_amount() >= 0, "get_buffered_amount() answers")
	p.close()
	c.finish(self)
