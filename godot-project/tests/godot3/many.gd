# 32 connection pairs at once in one Godot process (one worker serves them all): every pair
# connects, opens a negotiated and an in-band channel, and exchanges a packet each way.
extends "res://tests/godot3/lib/scene.gd"

const PAIRS = 32

var pairs = []
var sent = []


func _initialize():
	c = Check.new("many")
	var start = OS.get_ticks_msec()
	for i in range(PAIRS):
		var p = Pair.new()
		var r = p.setup()
		if r != [OK, OK]:
			c.ok(false, "pair %d: initialize %s" % [i, str(r)])
			continue
		var neg_a = p.a.create_data_channel("neg", {"negotiated": true, "id": 1})
		var neg_b = p.b.create_data_channel("neg", {"negotiated": true, "id": 1})
		var inband = p.a.create_data_channel("pair-%d" % i, {})
		if neg_a == null or neg_b == null or inband == null:
			c.ok(false, "pair %d: channels" % i)
			continue
		pairs.append([p, neg_a, neg_b, inband])
	c.eq(pairs.size(), PAIRS, "every pair set up")
	for entry in pairs:
		c.eq(entry[0].offer(), OK, "create_offer")
	var connected = Check.pump(_pollables(), funcref(self, "_all_open"), 90000)
	c.ok(connected, "all %d pairs connected with both channels open" % PAIRS)
	c.note("connected in %d ms" % (OS.get_ticks_msec() - start))
	if not connected:
		var n = 0
		for entry in pairs:
			if entry[0].is_connected_pair():
				n += 1
		c.note("%d of %d pairs connected" % [n, PAIRS])
		c.finish(self)
		return
	for i in range(pairs.size()):
		var entry = pairs[i]
		c.eq(entry[0].errors, [], "pair %d: signalling calls OK" % i)
		c.eq(entry[0].received_b[0].get_label(), "pair-%d" % i, "pair %d: its own channel" % i)
		entry[1].put_var(["a", i])
		entry[2].put_var(["b", i])
		entry[0].received_b[0].put_var(["in-band", i])
	c.ok(Check.pump(_pollables(), funcref(self, "_all_arrived"), 30000), "every packet arrived")
	for i in range(pairs.size()):
		var entry = pairs[i]
		c.eq(entry[2].get_var(), ["a", i], "pair %d: a -> b" % i)
		c.eq(entry[1].get_var(), ["b", i], "pair %d: b -> a" % i)
		c.eq(entry[3].get_var(), ["in-band", i], "pair %d: in-band b -> a" % i)
	for entry in pairs:
		entry[0].close()
	c.finish(self)


func _pollables():
	var out = []
	for entry in pairs:
		out.append(entry[0])
	return out


func _all_open():
	for entry in pairs:
		var p = entry[0]
		if not p.is_connected_pair() or p.received_b.size() != 1:
			return false
		for ch in [entry[1], entry[2], entry[3], p.received_b[0]]:
			if ch.get_ready_state() != WebRTCDataChannel.STATE_OPEN:
				return false
	return true


func _all_arrived():
	for entry in pairs:
		if entry[1].get_available_packet_count() < 1 or entry[2].get_available_packet_count() < 1 \
				or entry[3].get_available_packet_count() < 1:
			return false
	return true
