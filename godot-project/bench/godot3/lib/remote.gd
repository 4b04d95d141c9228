# One peer of a pair whose other peer runs in another process: signalling crosses the
# benchmark's relay (lib/link.gd). The offerer creates the channel "rel"; the answerer
# receives it. Then ping (timed here) or echo (everything back), spinning, bounded.
extends Reference

const Pair = preload("res://bench/godot3/lib/pair.gd")
const Measure = preload("res://bench/godot3/lib/measure.gd")

var link
var pc = WebRTCPeerConnection.new()
var ch = null
var described = false
var errors = 0


func _init(p_link):
	link = p_link


func start(p_role):
	if pc.initialize(Pair.LOOPBACK.duplicate(true)) != OK:
		return false
	pc.connect("session_description_created", self, "_on_description")
	pc.connect("ice_candidate_created", self, "_on_candidate")
	pc.connect("data_channel_received", self, "_on_channel")
	if p_role == "offer":
		ch = pc.create_data_channel("rel", {})
		return ch != null and pc.create_offer() == OK
	return true


func _on_description(p_type, p_sdp):
	if pc.set_local_description(p_type, p_sdp) != OK:
		errors += 1
	link.send({"t": "signal", "kind": "desc", "type": p_type, "sdp": p_sdp})


func _on_candidate(p_mid, p_index, p_name):
	link.send({"t": "signal", "kind": "cand", "mid": p_mid, "index": p_index, "name": p_name})


func _on_channel(p_channel):
	ch = p_channel


# A signal line from the other process.
func apply(p_message):
	if p_message["kind"] == "desc":
		if pc.set_remote_description(p_message["type"], p_message["sdp"]) != OK:
			errors += 1
	elif pc.add_ice_candidate(p_message["mid"], int(p_message["index"]), p_message["name"]) != OK:
		errors += 1


func is_open():
	return ch != null and ch.get_ready_state() == WebRTCDataChannel.STATE_OPEN


func ping(p_count):
	var data = Measure.payload(64, 1)
	var rtts = []
	var lost = 0
	for i in range(p_count):
		var t0 = OS.get_ticks_usec()
		ch.put_packet(data)
		var deadline = t0 + 1000000
		while true:
			if ch.get_available_packet_count() > 0:
				ch.get_packet()
				rtts.append(OS.get_ticks_usec() - t0)
				break
			if OS.get_ticks_usec() > deadline:
				lost += 1
				break
	return {"rtts": rtts, "lost": lost}


func echo(p_count, p_ms):
	var echoed = 0
	var deadline = OS.get_ticks_msec() + p_ms
	while echoed < p_count and OS.get_ticks_msec() < deadline:
		if ch.get_available_packet_count() > 0:
			ch.put_packet(ch.get_packet())
			echoed += 1
	return {"echoed": echoed}


func close():
	pc.close()
