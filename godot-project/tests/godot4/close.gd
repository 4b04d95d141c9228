# close() semantics: synchronous CLOSED for the connection and every channel, no signal
# afterwards, packets received before the close stay readable; channel.close() reports
# CLOSING then CLOSED on both sides; initialize() makes a closed connection usable again;
# dropping the last reference to a peer or a received channel closes it (the remote
# sees), including a received channel no handler kept.
extends "res://tests/godot4/lib/scene.gd"

var pair: Pair = null
var inband: WebRTCDataChannel = null
var negotiated_a: WebRTCDataChannel = null
var negotiated_b: WebRTCDataChannel = null
var signals_after_close := 0


func _initialize() -> void:
	c = Check.new("close")
	_peer_close()
	_channel_close()
	_reinitialize()
	_drop_references()
	c.finish(self)


func _open_pair() -> bool:
	pair = Pair.new()
	pair.setup()
	inband = pair.a.create_data_channel("inband", {})
	negotiated_a = pair.a.create_data_channel("neg", {"negotiated": true, "id": 3})
	negotiated_b = pair.b.create_data_channel("neg", {"negotiated": true, "id": 3})
	return pair.connect_pair() and Check.pump([pair], _all_open)


func _all_open() -> bool:
	return pair.received["b"].size() == 1 \
			and pair.received["b"][0].get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and inband.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_a.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_b.get_ready_state() == WebRTCDataChannel.STATE_OPEN


func _on_any(_x: Variant = null, _y: Variant = null, _z: Variant = null) -> void:
	signals_after_close += 1


func _peer_close() -> void:
	if not c.ok(_open_pair(), "peer close: pair open"):
		return
	for i in range(3):
		inband.put_var(i)
		negotiated_a.put_var(i)
	var received: WebRTCDataChannel = pair.received["b"][0]
	c.ok(Check.pump([pair], func(): return (received.get_available_packet_count() >= 3
			and negotiated_b.get_available_packet_count() >= 3)), "packets arrived before the close")
	pair.b.session_description_created.connect(_on_any)
	pair.b.ice_candidate_created.connect(_on_any)
	pair.b.data_channel_received.connect(_on_any)
	pair.b.close()
	c.eq(pair.b.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "close(): STATE_CLOSED at once")
	c.eq(pair.b.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_CLOSED, "close(): SIGNALING_STATE_CLOSED at once")
	c.eq(received.get_ready_state(), WebRTCDataChannel.STATE_CLOSED, "close(): received channel CLOSED at once")
	c.eq(negotiated_b.get_ready_state(), WebRTCDataChannel.STATE_CLOSED, "close(): negotiated channel CLOSED at once")
	c.eq(received.put_packet(Check.bytes([1])), FAILED, "put_packet on a closed channel: FAILED")
	# The remote side keeps talking and even opens a new channel: b must stay silent.
	pair.a.create_data_channel("after-close", {})
	Check.pump_for([pair], 300)
	c.eq(signals_after_close, 0, "no signal after close()")
	c.eq(received.get_available_packet_count(), 3, "packets received before close stay readable")
	for i in range(3):
		c.eq(received.get_var(), i, "in-band packet %d readable after close" % i)
		c.eq(negotiated_b.get_var(), i, "negotiated packet %d readable after close" % i)
	received.get_packet()
	c.eq(received.get_packet_error(), ERR_UNAVAILABLE, "then the queue is empty")
	c.ok(Check.pump([pair], func(): return (inband.get_ready_state() == WebRTCDataChannel.STATE_CLOSED
			and negotiated_a.get_ready_state() == WebRTCDataChannel.STATE_CLOSED)), "the remote's channels close")
	c.eq(pair.b.poll(), OK, "poll() after close: OK")
	pair.b.close()
	c.eq(pair.b.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "a second close() is harmless")
	pair.a.close()


func _channel_close() -> void:
	if not c.ok(_open_pair(), "channel close: pair open"):
		return
	var remote: WebRTCDataChannel = pair.received["b"][0]
	inband.put_var("last words")
	c.ok(Check.pump([pair], func(): return remote.get_available_packet_count() >= 1), "a packet before channel close")
	inband.close()
	var state := inband.get_ready_state()
	c.ok(state == WebRTCDataChannel.STATE_CLOSING or state == WebRTCDataChannel.STATE_CLOSED,
			"channel close(): CLOSING (or already CLOSED), got %d" % state)
	c.ok(Check.pump([pair], func(): return (inband.get_ready_state() == WebRTCDataChannel.STATE_CLOSED
			and remote.get_ready_state() == WebRTCDataChannel.STATE_CLOSED)), "then CLOSED on both sides")
	c.eq(remote.get_var(), "last words", "the remote reads what came before the close")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_CONNECTED, "closing a channel keeps the connection")
	c.eq(negotiated_a.get_ready_state(), WebRTCDataChannel.STATE_OPEN, "and the other channels")
	c.eq(negotiated_a.put_var("still"), OK, "the other channel still sends")
	pair.close()


func _reinitialize() -> void:
	if not c.ok(_open_pair(), "reinitialize: pair open"):
		return
	var old_a := pair.a
	var old_b := pair.b
	old_a.close()
	old_b.close()
	c.eq(old_a.initialize(Check.loopback()), OK, "initialize() after close")
	c.eq(old_a.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "NEW again")
	c.eq(old_a.get_signaling_state(), WebRTCPeerConnection.SIGNALING_STATE_STABLE, "STABLE again")
	c.eq(old_b.initialize(Check.loopback()), OK, "initialize() the other side")
	# Same objects, new session (their signal connections from lib/pair.gd still stand).
	pair.received["b"].clear()
	pair.local_set = {"a": false, "b": false}
	inband = old_a.create_data_channel("second", {})
	negotiated_a = old_a.create_data_channel("neg", {"negotiated": true, "id": 3})
	negotiated_b = old_b.create_data_channel("neg", {"negotiated": true, "id": 3})
	c.ok(pair.connect_pair() and Check.pump([pair], _all_open), "a second session on the same objects")
	var label: String = pair.received["b"][0].get_label() if pair.received["b"].size() > 0 else ""
	c.eq(label, "second", "the new session's channel")
	pair.close()


func _drop_references() -> void:
	# A peer nobody references is closed: the remote's channels close.
	if not c.ok(_open_pair(), "drop peer: pair open"):
		return
	var keep_a := pair.a
	var watch_a := inband
	pair.b = null
	negotiated_b = null
	pair.received["b"].clear()
	c.ok(Check.pump([keep_a], func(): return watch_a.get_ready_state() == WebRTCDataChannel.STATE_CLOSED),
			"dropping the remote peer closes the channel here")
	keep_a.close()

	# A received channel nobody references is closed: the sender's channel closes.
	if not c.ok(_open_pair(), "drop channel: pair open"):
		return
	var watch_b := inband
	pair.received["b"].clear() # the only reference to b's received channel
	c.ok(Check.pump([pair], func(): return watch_b.get_ready_state() == WebRTCDataChannel.STATE_CLOSED),
			"dropping a received channel closes it")
	c.eq(negotiated_a.get_ready_state(), WebRTCDataChannel.STATE_OPEN, "the other channel stays open")

	# A channel announced by data_channel_received that no handler keeps: closed at once.
	pair.keep_received = false
	var unkept := pair.a.create_data_channel("unkept", {})
	c.ok(Check.pump([pair], func(): return pair.events.has(["b", "channel:unkept"])), "b is told about \"unkept\"")
	c.ok(Check.pump([pair], func(): return unkept.get_ready_state() == WebRTCDataChannel.STATE_CLOSED),
			"nobody kept it: the sender's channel closes")
	pair.close()
