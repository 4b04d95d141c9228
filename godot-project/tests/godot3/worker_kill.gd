# The worker is killed with SIGKILL mid-session: every connection reports FAILED, every
# channel CLOSED, calls return Errors, Godot keeps running, and the next initialize() starts
# a new worker that works.
# runner-expect: was killed by signal 9
extends "res://tests/godot3/lib/scene.gd"

var pair
var channels = []


func _initialize():
	c = Check.new("worker_kill")
	var first = _session("first")
	if first < 0:
		c.finish(self)
		return
	var killed = OS.execute("kill", PoolStringArray(["-9", str(first)]), true)
	c.eq(killed, 0, "kill -9 %d" % first)
	c.ok(Check.pump([pair], funcref(self, "_all_failed"), 10000), "both connections FAILED, every channel CLOSED")
	c.eq(pair.a.get_connection_state(), WebRTCPeerConnection.STATE_FAILED, "a: STATE_FAILED")
	c.eq(pair.b.get_connection_state(), WebRTCPeerConnection.STATE_FAILED, "b: STATE_FAILED")
	for ch in channels:
		c.eq(ch.get_ready_state(), WebRTCDataChannel.STATE_CLOSED, ch.get_label() + ": STATE_CLOSED")
	c.ok(channels[0].put_packet(Check.bytes([1])) != OK, "put_packet after the worker died: an Error")
	c.ok(pair.a.create_data_channel("late", {}) == null, "create_data_channel on a FAILED connection: null")
	c.ok(pair.a.create_offer() != OK, "create_offer on a FAILED connection: an Error")
	c.eq(pair.a.poll(), OK, "poll() still OK")
	c.eq(Check.worker_pids(), [], "no worker process now")

	# The same objects start over: initialize() brings up a fresh worker.
	var second = _session("second", false)
	c.ok(second > 0 and second != first, "a new worker (%d, was %d)" % [second, first])
	pair.close()
	c.finish(self)


# Initialize (and wire, the first time), open two channels, exchange a packet. Returns the
# worker's pid, or -1.
func _session(p_name, p_new_pair = true):
	if p_new_pair:
		pair = Pair.new()
		c.eq(pair.setup(), [OK, OK], p_name + ": initialize")
	else:
		c.eq([pair.a.initialize(Check.loopback()), pair.b.initialize(Check.loopback())], [OK, OK], p_name + ": initialize again")
		pair.received_b.clear()
	channels = [
		pair.a.create_data_channel(p_name, {}),
		pair.a.create_data_channel(p_name + "-neg", {"negotiated": true, "id": 4}),
		pair.b.create_data_channel(p_name + "-neg", {"negotiated": true, "id": 4}),
	]
	if not c.ok(pair.connect_pair() and Check.pump([pair], funcref(self, "_open"), 10000), p_name + ": connected, channels open"):
		return -1
	channels.append(pair.received_b[0])
	channels[0].put_var(p_name)
	c.ok(Check.pump([pair], funcref(self, "_arrived"), 10000), p_name + ": a packet arrives")
	c.eq(channels[3].get_var(), p_name, p_name + ": its content")
	var pids = Check.worker_pids()
	c.eq(pids.size(), 1, p_name + ": one worker child")
	return pids[0] if pids.size() == 1 else -1


func _open():
	if pair.received_b.size() != 1 or pair.received_b[0].get_ready_state() != WebRTCDataChannel.STATE_OPEN:
		return false
	for ch in channels:
		if ch.get_ready_state() != WebRTCDataChannel.STATE_OPEN:
			return false
	return true


func _arrived():
	return channels[3].get_available_packet_count() > 0


func _all_failed():
	if pair.a.get_connection_state() != WebRTCPeerConnection.STATE_FAILED \
			or pair.b.get_connection_state() != WebRTCPeerConnection.STATE_FAILED:
		return false
	for ch in channels:
		if ch.get_ready_state() != WebRTCDataChannel.STATE_CLOSED:
			return false
	return true
