# close() semantics: synchronous CLOSED for the connection and every channel, no signal
# afterwards, packets received before the close stay readable; channel.close() reports
# CLOSING then CLOSED on both sides; initialize() makes a closed connection usable again;
# dropping the last reference to a peer or a received channel closes it (the remote sees).
extends "res://tests/godot3/lib/scene.gd"

var pair
var inband
var negotiated_a
var negotiated_b
var signals_after_close = 0


func _initialize():
	c = Check.new("close")
	_peer_close()
	_channel_close()
	_reinitialize()
	_drop_references()
	c.finish(self)


func _open_pair():
	pair = Pair.new()
	pair.setup()
	inband = pair.a.create_data_channel("inband", {})
	negotiated_a = pair.a.create_data_channel("neg", {"negotiated": true, "id": 3})
	negotiated_b = pair.b.create_data_channel("neg", {"negotiated": true, "id": 3})
	return pair.connect_pair() and Check.pump([pair], funcref(self, "_all_open"), 10000)


func _all_open():
	return pair.received_b.size() == 1 and pair.received_b[0].get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and inband.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_a.get_ready_state() == WebRTCDataChannel.STATE_OPEN \
			and negotiated_b.get_ready_state() == WebRTCDataChannel.STATE_OPEN


func _b_has_packets():
	return pair.received_b[0].get_available_packet_count() >= 3 and negotiated_b.get_available_packet_count() >= 3


func _on_any(_x = null, _y = null, _z = null):
	signals_after_close += 1


func _peer_close():
	if not c.ok(_open_pair(), "peer close: pair open"):
		return
	for i in range(3):
		inband.put_var(i)
		negotiated_a.put_var(i)
	c.ok(Check.pump([pair], funcref(self, "_b_has_packets"), 10000), "packets arrived before the close")
	var received = pair.received_b[0]
	pair.b.connect("session_description_created", self, "_on_any")
	pair.b.connect("ice_candidate_created", self, "_on_any")
	pair.b.connect("data_channel_received", self, "_on_any")
	pair.b.close()
	c.eq(pair.b.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "close(): CLOSED at once")
	c.eq(received.get_ready_state(), WebRTCDataChannel.STATE_CLOSED, "close(): received channel CLOSED at once")
	c.eq(negotiated_b.get_ready_state(), WebRTCDataChannel.STATE_CLOSED, "close(): negotiated channel CLOSED at once")
	c.eq(received.put_packet(Check.bytes([1])), Check.FAILED, "put_packet on a closed channel: FAILED")
	# The remote side keeps talking and even opens a new channel: b must stay silent.
	pair.a.create_data_channel("after-close", {})
	Check.pump_for([pair], 300)
	c.eq(signals_after_close, 0, "no signal after close()")
	c.eq(received.get_available_packet_count(), 3, "packets received before close stay readable")
	for i in range(3):
		c.eq(received.get_var(), i, "in-band packet %d readable after close" % i)
		c.eq(negotiated_b.get_var(), i, "negotiated packet %d readable after close" % i)
	received.get_packet()
	c.eq(received.get_packet_error(), Check.ERR_UNAVAILABLE, "then the queue is empty")
	c.ok(Check.pump([pair], funcref(self, "_a_sees_close"), 15000), "the remote's channels close")
	c.eq(pair.b.poll(), OK, "poll() after close: OK")
	pair.b.close()
	c.eq(pair.b.get_connection_state(), WebRTCPeerConnection.STATE_CLOSED, "a second close() is harmless")
	pair.a.close()


func _a_sees_close():
	return inband.get_ready_state() == WebRTCDataChannel.STATE_CLOSED \
			and negotiated_a.get_ready_state() == WebRTCDataChannel.STATE_CLOSED


func _channel_close():
	if not c.ok(_open_pair(), "channel close: pair open"):
		return
	var remote = pair.received_b[0]
	inband.put_var("last words")
	c.ok(Check.pump([pair], funcref(self, "_remote_has_one"), 10000), "a packet before channel close")
	inband.close()
	var state = inband.get_ready_state()
	c.ok(state == WebRTCDataChannel.STATE_CLOSING or state == WebRTCDataChannel.STATE_CLOSED,
			"channel close(): CLOSING (or already CLOSED), got %d" % state)
	c.ok(Check.pump([pair], funcref(self, "_inband_closed"), 10000), "then CLOSED on both sides")
	c.eq(remote.get_var(), "last words", "the remote reads what came before the close")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_CONNECTED, "closing a channel keeps the connection")
	c.eq(negotiated_a.get_ready_state(), WebRTCDataChannel.STATE_OPEN, "and the other channels")
	c.eq(negotiated_a.put_var("still"), OK, "the other channel still sends")
	pair.close()


func _remote_has_one():
	return pair.received_b[0].get_available_packet_count() >= 1


func _inband_closed():
	return inband.get_ready_state() == WebRTCDataChannel.STATE_CLOSED \
			and pair.received_b[0].get_ready_state() == WebRTCDataChannel.STATE_CLOSED


func _reinitialize():
	if not c.ok(_open_pair(), "reinitialize: pair open"):
		return
	var old_a = pair.a
	var old_b = pair.b
	old_a.close()
	old_b.close()
	c.eq(old_a.initialize(Check.loopback()), OK, "initialize() after close")
	c.eq(old_a.get_connection_state(), WebRTCPeerConnection.STATE_NEW, "NEW again")
	c.eq(old_b.initialize(Check.loopback()), OK, "initialize() the other side")
	# Same objects, new session (their signal connections from lib/pair.gd still stand).
	pair.received_b.clear()
	inband = old_a.create_data_channel("second", {})
	negotiated_a = old_a.create_data_channel("neg", {"negotiated": true, "id": 3})
	negotiated_b = old_b.create_data_channel("neg", {"negotiated": true, "id": 3})
	c.ok(pair.connect_pair() and Check.pump([pair], funcref(self, "_all_open"), 10000), "a second session on the same objects")
	c.eq(pair.received_b[0].get_label() if pair.received_b.size() > 0 else "", "second", "the new session's channel")
	pair.close()


var _watch_a = null
var _watch_b = null


func _drop_references():
	# A peer nobody references is closed: the remote's channels close.
	if not c.ok(_open_pair(), "drop peer: pair open"):
		return
	var keep_a = pair.a
	var keep_inband = inband
	pair.b = null
	negotiated_b = null
	pair.received_b.clear()
	_watch_a = keep_inband
	c.ok(Check.pump([keep_a], funcref(self, "_watched_a_closed"), 15000), "dropping the remote peer closes the channel here")
	keep_a.close()

	# A received channel nobody references is closed: the sender's channel closes.
	if not c.ok(_open_pair(), "drop channel: pair open"):
		return
	_watch_b = inband
	pair.received_b.clear() # the only reference to b's received channel
	c.ok(Check.pump([pair], funcref(self, "_watched_b_closed"), 15000), "dropping a received channel closes it")
	c.eq(negotiated_a.get_ready_state(), WebRTCDataChannel.STATE_OPEN, "the other channel stays open")
	pair.close()


func _watched_a_closed():
	return _watch_a.get_ready_state() == WebRTCDataChannel.STATE_CLOSED


func _watched_b_closed():
	return _watch_b.get_ready_state() == WebRTCDataChannel.STATE_CLOSED
