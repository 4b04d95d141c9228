# Driven by scripts/run-godot3-tests.sh: connect, report the worker's pid, then keep the
# session busy until the runner kills Godot with SIGKILL. The runner then checks that the
# worker exits by itself and that no shared memory is left. This scene never ends on its
# own terms: reaching the end of its wait is a failure.
extends "res://tests/godot3/lib/scene.gd"

var pair
var channel


func _initialize():
	c = Check.new("godot_kill")
	pair = Pair.new()
	pair.setup()
	channel = pair.a.create_data_channel("busy", {})
	if not c.ok(pair.connect_pair() and Check.pump([pair], funcref(self, "_open"), 10000), "connected"):
		c.finish(self)
		return
	var pids = Check.worker_pids()
	if not c.eq(pids.size(), 1, "one worker"):
		c.finish(self)
		return
	print("READY worker=%d" % pids[0])
	var deadline = OS.get_ticks_msec() + 120000
	var n = 0
	while OS.get_ticks_msec() < deadline:
		channel.put_var(n)
		n += 1
		pair.poll()
		while pair.received_b[0].get_available_packet_count() > 0:
			pair.received_b[0].get_packet()
		OS.delay_msec(5)
	c.ok(false, "not killed within 120 s")
	c.finish(self)


func _open():
	return channel.get_ready_state() == WebRTCDataChannel.STATE_OPEN and pair.received_b.size() == 1 \
			and pair.received_b[0].get_ready_state() == WebRTCDataChannel.STATE_OPEN
