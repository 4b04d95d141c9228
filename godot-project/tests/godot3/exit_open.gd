# Driven by scripts/run-godot3-tests.sh, which runs it many times in a row: Godot quits with
# connections open (webrtc-native #195 crashes here now and then). The run number
# ($GODOT3_EXIT_RUN) picks the moment: 0 mid-handshake, 1 connected with packets in flight,
# 2 connected with unread packets, a closed peer and a dropped received channel.
extends "res://tests/godot3/lib/scene.gd"

var pairs = []
var channels = [] # the script keeps its channels: a dropped channel is closed


func _initialize():
	c = Check.new("exit_open")
	var variant = int(OS.get_environment("GODOT3_EXIT_RUN")) % 3
	for i in range(2):
		var p = Pair.new()
		p.setup()
		channels.append(p.a.create_data_channel("x", {}))
		channels.append(p.a.create_data_channel("n", {"negotiated": true, "id": 2}))
		channels.append(p.b.create_data_channel("n", {"negotiated": true, "id": 2}))
		pairs.append(p)
	if variant == 0:
		for p in pairs:
			p.offer()
		Check.pump_for(pairs, 20)
		c.finish(self) # quit mid-handshake
		return
	for p in pairs:
		c.ok(p.connect_pair(), "connected")
	c.ok(Check.pump(pairs, funcref(self, "_received"), 10000), "channels received")
	for p in pairs:
		for ch in p.received_b:
			for n in range(20):
				ch.put_var(n)
	if variant == 2:
		Check.pump_for(pairs, 50)
		pairs[0].b.close()
		pairs[1].received_b.clear()
	c.finish(self) # quit with everything open and packets in flight


func _received():
	for p in pairs:
		if p.received_b.size() != 1:
			return false
	return true
