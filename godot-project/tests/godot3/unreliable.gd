# Unreliable channels: maxPacketLifetime (the spelling Godot's own WebRTCMultiplayer writes),
# maxPacketLifeTime, maxRetransmits, unordered; in-band and negotiated. The getters report what
# was asked (65535 when not set) and packets flow (loopback loses nothing).
extends "res://tests/godot3/lib/scene.gd"

const COUNT = 50

var pair
var specs = [
	["life-multiplayer", {"maxPacketLifetime": 500, "ordered": false}, 500, 65535, false],
	["life-w3c", {"maxPacketLifeTime": 250}, 250, 65535, true],
	["rexmit-0", {"maxRetransmits": 0}, 65535, 0, true],
	["rexmit-5-unordered", {"maxRetransmits": 5, "ordered": false}, 65535, 5, false],
]
var channels = []
var negotiated_a
var negotiated_b


func _initialize():
	c = Check.new("unreliable")
	pair = Pair.new()
	c.eq(pair.setup(), [OK, OK], "initialize")
	for spec in specs:
		var ch = pair.a.create_data_channel(spec[0], spec[1])
		if not c.ok(ch != null, spec[0] + ": created"):
			c.finish(self)
			return
		c.eq(ch.get_max_packet_life_time(), spec[2], spec[0] + ": get_max_packet_life_time")
		c.eq(ch.get_max_retransmits(), spec[3], spec[0] + ": get_max_retransmits")
		c.eq(ch.is_ordered(), spec[4], spec[0] + ": is_ordered")
		channels.append(ch)
	var options = {"negotiated": true, "id": 10, "maxPacketLifetime": 100, "ordered": false}
	negotiated_a = pair.a.create_data_channel("neg-unreliable", options)
	negotiated_b = pair.b.create_data_channel("neg-unreliable", options)
	for ch in [negotiated_a, negotiated_b]:
		c.ok(ch != null, "negotiated unreliable: created")
		if ch != null:
			c.eq(ch.get_max_packet_life_time(), 100, "negotiated: lifetime")
			c.eq(ch.get_max_retransmits(), 65535, "negotiated: retransmits unset")
			c.eq(ch.is_ordered(), false, "negotiated: unordered")
	if negotiated_a == null or negotiated_b == null:
		c.finish(self)
		return

	c.ok(pair.connect_pair(), "connected")
	c.ok(Check.pump([pair], funcref(self, "_all_open"), 10000), "every channel open, every in-band one received")
	if c.failed > 0:
		c.finish(self)
		return
	c.eq(pair.received_b.size(), specs.size(), "b received the in-band channels")

	# Each channel sends COUNT numbered packets; the receiving end gets every one (loopback).
	for ch in channels + [negotiated_a]:
		for i in range(COUNT):
			ch.put_var(i)
	c.ok(Check.pump([pair], funcref(self, "_all_arrived"), 10000), "every packet arrived on every channel")
	for ch in pair.received_b + [negotiated_b]:
		var seen = {}
		while ch.get_available_packet_count() > 0:
			seen[ch.get_var()] = true
		c.eq(seen.size(), COUNT, ch.get_label() + ": %d distinct packets" % COUNT)
	pair.close()
	c.finish(self)


func _all_open():
	for ch in channels + [negotiated_a, negotiated_b] + pair.received_b:
		if ch.get_ready_state() != WebRTCDataChannel.STATE_OPEN:
			return false
	return pair.received_b.size() == specs.size()


func _all_arrived():
	for ch in pair.received_b + [negotiated_b]:
		if ch.get_available_packet_count() < COUNT:
			return false
	return true
