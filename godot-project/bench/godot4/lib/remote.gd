# One peer of a pair whose other peer runs in another process: signalling crosses the
# benchmark's relay (lib/link.gd). The offerer creates the channel "rel"; the answerer
# receives it. Then ping (timed here) or echo (everything back), spinning, bounded.
extends RefCounted

const Pair = preload("res://bench/godot4/lib/pair.gd")
const Measure = preload("res://bench/godot4/lib/measure.gd")

var link
var pc := WebRTCPeerConnection.new()
var ch: WebRTCDataChannel = null
var errors := 0


func _init(p_link) -> void:
	link = p_link


func start(p_role: String) -> bool:
	if pc.initialize(Pair.LOOPBACK.duplicate(true)) != OK:
		return false
	pc.session_description_created.connect(_on_description)
	pc.ice_candidate_created.connect(_on_candidate)
	pc.data_channel_received.connect(_on_channel)
	if p_role == "offer":
		ch = pc.create_data_channel("rel", {})
		return ch != null and pc.create_offer() == OK
	return true


func _on_description(p_type: String, p_sdp: String) -> void:
	if pc.set_local_description(p_type, p_sdp) != OK:
		errors += 1
	link.send({"t": "signal", "kind": "desc", "type": p_type, "sdp": p_sdp})


func _on_candidate(p_mid: String, p_index: int, p_name: String) -> void:
	link.send({"t": "signal", "kind": "cand", "mid": p_mid, "index": p_index, "name": p_name})


func _on_channel(p_channel: WebRTCDataChannel) -> void:
	ch = p_channel


# A signal line from the other process.
func apply(p_message: Dictionary) -> void:
	if p_message["kind"] == "desc":
		if pc.set_remote_description(p_message["type"], p_message["sdp"]) != OK:
			errors += 1
	elif pc.add_ice_candidate(p_message["mid"], int(p_message["index"]), p_message["name"]) != OK:
		errors += 1


func is_open() -> bool:
	return ch != null and ch.get_ready_state() == WebRTCDataChannel.STATE_OPEN


func ping(p_count: int) -> Dictionary:
	var data = Measure.payload(64, 1)
	var rtts := []
	var lost := 0
	for i in range(p_count):
		var t0 := Time.get_ticks_usec()
		ch.put_packet(data)
		var deadline := t0 + 1000000
		while true:
			if ch.get_available_packet_count() > 0:
				ch.get_packet()
				rtts.append(Time.get_ticks_usec() - t0)
				break
			if Time.get_ticks_usec() > deadline:
				lost += 1
				break
	return {"rtts": rtts, "lost": lost}


func echo(p_count: int, p_ms: int) -> Dictionary:
	var echoed := 0
	var deadline := Time.get_ticks_msec() + p_ms
	while echoed < p_count and Time.get_ticks_msec() < deadline:
		if ch.get_available_packet_count() > 0:
			ch.put_packet(ch.get_packet())
			echoed += 1
	return {"echoed": echoed}


func close() -> void:
	pc.close()
