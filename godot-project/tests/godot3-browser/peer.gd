# One Godot 3 WebRTCPeerConnection (plain WebRTCPeerConnection.new(): the addon through
# GDNative) driven by tests/interop/godot3-browser.test.ts, whose Chromium page is
# the remote peer. The test runs a relay on 127.0.0.1 (port in GODOT3_BROWSER_PORT); this
# scene connects to it with StreamPeerTCP and speaks one JSON object per line:
#   test -> scene  {"t": command, "id": n, ...}; every command gets {"t": "reply", "id": n, "v": ...}
#   scene -> test  the signals (description, candidate, received), every connection and
#                  channel state change, and every packet (base64, with was_string_packet()).
# Every signalling call made here (set_local_description) is checked; a non-OK result, a
# lost relay link or the 90 s limit prints a FAIL line. "quit" prints the tally and the end
# sentinel "END-OF-SCENE peer".
extends SceneTree

const Check = preload("res://tests/godot3/lib/check.gd")
const LIMIT_MS = 90000

var c = null
var tcp = StreamPeerTCP.new()
var linked = false
var pending = PoolByteArray()
var pc = null
var channels = [] # key -> WebRTCDataChannel
var channel_states = []
var connection_state = -1
var deadline = 0
var done = false


func _initialize():
	c = Check.new("peer")
	deadline = OS.get_ticks_msec() + LIMIT_MS
	var port = int(OS.get_environment("GODOT3_BROWSER_PORT"))
	if not c.ok(port > 0, "GODOT3_BROWSER_PORT names the relay's port"):
		_end()
		return
	c.eq(tcp.connect_to_host("127.0.0.1", port), OK, "connect to the relay")


func _end():
	if done:
		return
	done = true
	if pc != null:
		pc.close()
	c.finish(self)


func _idle(_delta):
	if done:
		return false
	if OS.get_ticks_msec() > deadline:
		c.ok(false, "the test did not say quit within %d ms" % LIMIT_MS)
		_end()
		return false
	var status = tcp.get_status()
	if status == StreamPeerTCP.STATUS_CONNECTED:
		if not linked:
			linked = true
			_send({"t": "hello"})
		_read()
	elif status != StreamPeerTCP.STATUS_CONNECTING or linked:
		c.ok(false, "relay link lost (status %d)" % status)
		_end()
		return false
	if done:
		return false
	if pc != null:
		pc.poll()
		_report()
	OS.delay_msec(2)
	return false


func _send(p_message):
	tcp.put_data((to_json(p_message) + "\n").to_utf8())


func _read():
	var available = tcp.get_available_bytes()
	if available <= 0:
		return
	var got = tcp.get_data(available)
	if got[0] != OK:
		return
	pending.append_array(got[1])
	while not done:
		var at = -1
		for i in range(pending.size()):
			if pending[i] == 10:
				at = i
				break
		if at < 0:
			return
		var line = pending.subarray(0, at - 1).get_string_from_utf8() if at > 0 else ""
		pending = pending.subarray(at + 1, pending.size() - 1) if at + 1 < pending.size() else PoolByteArray()
		if line != "":
			var parsed = JSON.parse(line)
			if not c.ok(parsed.error == OK and typeof(parsed.result) == TYPE_DICTIONARY, "a command is a JSON object: " + line):
				continue
			_command(parsed.result)


func _info(p_key):
	var ch = channels[p_key]
	return {"key": p_key, "label": ch.get_label(), "protocol": ch.get_protocol(), "id": ch.get_id(),
			"negotiated": ch.is_negotiated(), "ordered": ch.is_ordered(), "state": ch.get_ready_state()}


func _add_channel(p_channel):
	channels.append(p_channel)
	channel_states.append(-1)
	return channels.size() - 1


# JSON numbers are floats; the addon's options want integers.
func _ints(p_dict):
	var out = {}
	for k in p_dict:
		var v = p_dict[k]
		if typeof(v) == TYPE_REAL:
			v = int(v)
		elif typeof(v) == TYPE_DICTIONARY:
			v = _ints(v)
		out[k] = v
	return out


func _command(p_cmd):
	var t = p_cmd.get("t", "")
	var v = null
	match t:
		"init":
			pc = WebRTCPeerConnection.new()
			pc.connect("session_description_created", self, "_on_description")
			pc.connect("ice_candidate_created", self, "_on_candidate")
			pc.connect("data_channel_received", self, "_on_channel")
			v = {"class": pc.get_class(), "error": pc.initialize(_ints(p_cmd["config"]))}
			v["workers"] = Check.worker_pids()
		"channel":
			var created = pc.create_data_channel(p_cmd["label"], _ints(p_cmd["options"]))
			v = -1 if created == null else _info(_add_channel(created))
		"offer":
			v = pc.create_offer()
		"remote":
			v = pc.set_remote_description(p_cmd["type"], p_cmd["sdp"])
		"candidate":
			v = pc.add_ice_candidate(p_cmd["mid"], int(p_cmd["index"]), p_cmd["name"])
		"send":
			var sender = channels[int(p_cmd["key"])]
			sender.write_mode = WebRTCDataChannel.WRITE_MODE_TEXT if p_cmd["text"] else WebRTCDataChannel.WRITE_MODE_BINARY
			v = sender.put_packet(Marshalls.base64_to_raw(p_cmd["b64"]))
		"info":
			v = _info(int(p_cmd["key"]))
		"close_channel":
			var closing = channels[int(p_cmd["key"])]
			closing.close()
			v = closing.get_ready_state()
		"close":
			pc.close()
			v = pc.get_connection_state()
		"quit":
			_send({"t": "reply", "id": int(p_cmd.get("id", -1)), "v": null})
			_end()
			return
		_:
			c.ok(false, "unknown command " + str(t))
	_send({"t": "reply", "id": int(p_cmd.get("id", -1)), "v": v})


# Sends what changed since the last poll: connection and channel states, then packets.
func _report():
	var state = pc.get_connection_state()
	if state != connection_state:
		connection_state = state
		_send({"t": "connection", "state": state})
	for key in range(channels.size()):
		var ch = channels[key]
		while ch.get_available_packet_count() > 0:
			var packet = ch.get_packet()
			c.eq(ch.get_packet_error(), OK, "get_packet on channel %d" % key)
			_send({"t": "message", "key": key, "string": ch.was_string_packet(), "size": packet.size(),
					"b64": Marshalls.raw_to_base64(packet)})
		var s = ch.get_ready_state()
		if s != channel_states[key]:
			channel_states[key] = s
			_send({"t": "state", "key": key, "state": s})


func _on_description(p_type, p_sdp):
	c.eq(pc.set_local_description(p_type, p_sdp), OK, "set_local_description(%s)" % p_type)
	_send({"t": "description", "type": p_type, "sdp": p_sdp})


func _on_candidate(p_mid, p_index, p_name):
	_send({"t": "candidate", "mid": p_mid, "index": p_index, "name": p_name})


func _on_channel(p_channel):
	var key = _add_channel(p_channel)
	_send({"t": "received", "channel": _info(key)})
