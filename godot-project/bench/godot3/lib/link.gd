# The scene's line to the benchmark (scripts/bench/godot.mjs), which listens on 127.0.0.1
# (port in BENCH_GODOT_PORT): one JSON object a line each way, over StreamPeerTCP.
extends Reference

var tcp = StreamPeerTCP.new()
var linked = false
var pending = PoolByteArray()


func open(p_port):
	return tcp.connect_to_host("127.0.0.1", p_port)


# STATUS_CONNECTED once; false when the link is lost.
func alive():
	var status = tcp.get_status()
	if status == StreamPeerTCP.STATUS_CONNECTED and not linked:
		linked = true
		tcp.set_no_delay(true)
	return status == StreamPeerTCP.STATUS_CONNECTED or (status == StreamPeerTCP.STATUS_CONNECTING and not linked)


func send(p_message):
	if linked:
		tcp.put_data((to_json(p_message) + "\n").to_utf8())


# The complete lines received so far, parsed (Dictionaries; anything else is skipped).
func receive():
	var out = []
	if not linked:
		return out
	var available = tcp.get_available_bytes()
	if available <= 0:
		return out
	var got = tcp.get_data(available)
	if got[0] != OK:
		return out
	pending.append_array(got[1])
	var start = 0
	for i in range(pending.size()):
		if pending[i] == 10:
			if i > start:
				var parsed = JSON.parse(pending.subarray(start, i - 1).get_string_from_utf8())
				if parsed.error == OK and typeof(parsed.result) == TYPE_DICTIONARY:
					out.append(parsed.result)
			start = i + 1
	if start >= pending.size():
		pending = PoolByteArray()
	elif start > 0:
		pending = pending.subarray(start, pending.size() - 1)
	return out
