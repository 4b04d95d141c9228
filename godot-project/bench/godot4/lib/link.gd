# The scene's line to the benchmark (scripts/bench/godot.mjs), which listens on 127.0.0.1
# (port in BENCH_GODOT_PORT): one JSON object a line each way, over StreamPeerTCP.
extends RefCounted

var tcp := StreamPeerTCP.new()
var linked := false
var pending := PackedByteArray()


func open(p_port: int) -> int:
	return tcp.connect_to_host("127.0.0.1", p_port)


# STATUS_CONNECTED once; false when the link is lost.
func alive() -> bool:
	tcp.poll()
	var status := tcp.get_status()
	if status == StreamPeerTCP.STATUS_CONNECTED and not linked:
		linked = true
		tcp.set_no_delay(true)
	return status == StreamPeerTCP.STATUS_CONNECTED or (status == StreamPeerTCP.STATUS_CONNECTING and not linked)


func send(p_message: Dictionary) -> void:
	if linked:
		tcp.put_data((JSON.stringify(p_message) + "\n").to_utf8_buffer())


# The complete lines received so far, parsed (Dictionaries; anything else is skipped).
func receive() -> Array:
	var out := []
	if not linked:
		return out
	var available := tcp.get_available_bytes()
	if available <= 0:
		return out
	var got := tcp.get_data(available)
	if got[0] != OK:
		return out
	pending.append_array(got[1])
	var start := 0
	for i in range(pending.size()):
		if pending[i] == 10:
			if i > start:
				var parsed = JSON.parse_string(pending.slice(start, i).get_string_from_utf8())
				if typeof(parsed) == TYPE_DICTIONARY:
					out.append(parsed)
			start = i + 1
	pending = pending.slice(start)
	return out
