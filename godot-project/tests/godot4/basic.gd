# WebRTCPeerConnection.new() is the addon's class (set as the default extension), a new
# connection's states, channel properties as created and as announced, and the signals:
# emitted from poll() only, the description first, candidates only after
# set_local_description, data_channel_received once per in-band channel.
extends "res://tests/godot4/lib/scene.gd"


func _initialize() -> void:
	c = Check.new("basic")
	var fresh := WebRTCPeerConnection.new()
	c.eq(fresh.get_class(), "WebRTCPeerConnectionTS", "WebRTCPeerConnection.new() gives the addon's class")
	c.ok(fresh is WebRTCPeerConnection, "and it is a WebRTCPeerConnection")
	c.eq(fresh.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "new: STATE_NEW")
	c.eq(fresh.get_gathering_state(), WebRTCPeerConnection.GATHERING_STATE_NEW, "new: GATHERING_STATE_NEW")
	c.eq(fresh.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_STABLE, "new: SIGNALING_STATE_STABLE")
	c.eq(fresh.poll(), OK, "poll() on a new connection")
	fresh = null

	var p := Pair.new()
	c.eq(p.setup(), [OK, OK], "initialize(loopback) on both")
	var chat := p.a.create_data_channel("chat")
	var unicode := p.a.create_data_channel("héllo ✓", {"protocol": "proto-ü"})
	var timed := p.a.create_data_channel("timed", {"ordered": false, "maxPacketLifeTime": 500})
	var counted := p.a.create_data_channel("counted", {"maxRetransmits": 3})
	var negotiated_a := p.a.create_data_channel("neg", {"negotiated": true, "id": 7})
	var negotiated_b := p.b.create_data_channel("neg", {"negotiated": true, "id": 7})
	c.ok(chat != null and unicode != null and timed != null and counted != null and negotiated_a != null
			and negotiated_b != null, "create_data_channel gives six channels")
	c.eq(chat.get_class(), "WebRTCDataChannelTS", "a channel is the addon's class")
	c.eq(chat.get_ready_state(), WebRTCDataChannel.STATE_CONNECTING, "a new channel is CONNECTING")
	c.eq(chat.write_mode, WebRTCDataChannel.WRITE_MODE_BINARY, "write_mode defaults to BINARY")
	c.eq([chat.get_label(), chat.get_protocol(), chat.is_ordered(), chat.is_negotiated()], ["chat", "", true, false],
			"chat: label, protocol, ordered, not negotiated")
	c.eq([chat.get_max_packet_life_time(), chat.get_max_retransmits()], [65535, 65535], "chat: lifetime and retransmits unset (65535)")
	c.eq(chat.get_id(), 65535, "in-band id before negotiation: 65535")
	c.eq([unicode.get_label(), unicode.get_protocol()], ["héllo ✓", "proto-ü"], "non-ASCII label and protocol kept")
	c.eq([timed.is_ordered(), timed.get_max_packet_life_time(), timed.get_max_retransmits()], [false, 500, 65535],
			"timed: unordered, maxPacketLifeTime 500")
	c.eq([counted.is_ordered(), counted.get_max_retransmits(), counted.get_max_packet_life_time()], [true, 3, 65535],
			"counted: maxRetransmits 3")
	c.eq([negotiated_a.is_negotiated(), negotiated_a.get_id()], [true, 7], "negotiated: is_negotiated, id 7")

	c.eq(p.a.create_offer(), OK, "create_offer()")
	c.eq(p.events.size(), 0, "no signal before poll()")
	c.ok(Check.pump([p], p.is_connected_pair), "both CONNECTED")
	c.ok(p.open([chat, unicode, timed, counted, negotiated_a, negotiated_b]), "every channel OPEN on a")
	c.ok(Check.pump([p], func(): return p.received["b"].size() == 4), "b received the four in-band channels")
	c.eq(p.errors, [], "every signalling call from the handlers returned OK, no candidate before set_local_description")
	c.eq(p.events[0], ["a", "description:offer"], "a's first signal is its offer")
	var first_b := []
	for event in p.events:
		if event[0] == "b":
			first_b = event
			break
	c.eq(first_b, ["b", "description:answer"], "b's first signal is its answer")
	c.ok(p.candidates["a"] > 0 and p.candidates["b"] > 0, "both sides emitted candidates")
	c.eq(p.indexes["a"].filter(func(i): return i != 0), [], "every candidate carries m-line index 0 (one m-line)")
	var labels := []
	for channel in p.received["b"]:
		labels.append(channel.get_label())
	labels.sort()
	c.eq(labels, ["chat", "counted", "héllo ✓", "timed"], "data_channel_received once per in-band channel, never for negotiated ones")
	c.eq(p.received["a"].size(), 0, "a received nothing (it created them)")
	var remote_unicode := p.received_channel("b", "héllo ✓")
	c.ok(remote_unicode != null and remote_unicode.get_protocol() == "proto-ü" and not remote_unicode.is_negotiated(),
			"the received channel announces label and protocol, not negotiated")
	var remote_chat := p.received_channel("b", "chat")
	c.ok(remote_chat != null and chat.get_id() != 65535 and chat.get_id() == remote_chat.get_id(),
			"an open channel has its stream id, the same on both sides")
	c.ok(Check.pump([p], func(): return p.a.get_gathering_state() == WebRTCPeerConnection.GATHERING_STATE_COMPLETE),
			"gathering reaches COMPLETE")
	c.eq([p.a.get_signaling_state(), p.b.get_signaling_state()], [WebRTCPeerConnection.SIGNALING_STATE_STABLE,
			WebRTCPeerConnection.SIGNALING_STATE_STABLE], "signaling STABLE on both after offer and answer")
	p.close()
	c.finish(self)
