# Signalling order, driven by hand instead of lib/pair.gd: no ice_candidate_created before
# set_local_description; the answer only after set_remote_description("offer"); candidates
# that reach the other side before its remote description are held and applied; the m-line
# index is real; an empty candidate ends the candidates; signals only from poll().
extends "res://tests/godot3/lib/scene.gd"

var a
var b
var events = [] # [who, what, ...] in emission order
var candidates_a = [] # [mid, index, name] from a, held back
var channel_a
var received_b = []


func _initialize():
	c = Check.new("signaling")
	a = WebRTCPeerConnection.new()
	b = WebRTCPeerConnection.new()
	c.eq(a.initialize(Check.loopback()), OK, "initialize a")
	c.eq(b.initialize(Check.loopback()), OK, "initialize b")
	a.connect("session_description_created", self, "_on_description", ["a"])
	b.connect("session_description_created", self, "_on_description", ["b"])
	a.connect("ice_candidate_created", self, "_on_candidate", ["a"])
	b.connect("ice_candidate_created", self, "_on_candidate", ["b"])
	b.connect("data_channel_received", self, "_on_channel")
	channel_a = a.create_data_channel("order", {})

	c.eq(a.create_offer(), OK, "create_offer")
	c.eq(events.size(), 0, "no signal inside create_offer (signals come from poll)")
	c.ok(Check.pump([a, b], funcref(self, "_has_offer"), 10000), "offer emitted from a.poll()")
	Check.pump_for([a, b], 300)
	c.eq(_count("a", "candidate"), 0, "no ice_candidate_created before set_local_description")
	var offer = _find("a", "description")
	if offer == null:
		c.finish(self)
		return
	c.eq(offer[2], "offer", "a's description is an offer")
	c.eq(a.set_local_description("offer", offer[3]), OK, "a.set_local_description(offer)")
	c.ok(Check.pump([a, b], funcref(self, "_a_has_candidates"), 10000), "candidates follow set_local_description")
	Check.pump_for([a, b], 200)
	c.eq(_count("b", "description"), 0, "b emits nothing before it has the offer")

	# a's candidates reach b before the offer does: b must hold them.
	for cand in candidates_a:
		c.eq(b.add_ice_candidate(cand[0], cand[1], cand[2]), OK, "b.add_ice_candidate before its remote description")
		c.ok(cand[1] == 0 and cand[0] != "", "one m-line: index 0, mid %s" % cand[0])
	c.eq(b.add_ice_candidate(candidates_a[0][0], 0, "") if candidates_a.size() > 0 else OK, OK, "empty candidate: end of candidates")
	c.eq(b.set_remote_description("offer", offer[3]), OK, "b.set_remote_description(offer)")
	c.ok(Check.pump([a, b], funcref(self, "_has_answer"), 10000), "b answers from poll() after the offer")
	var answer = _find("b", "description")
	if answer == null:
		c.finish(self)
		return
	c.eq(answer[2], "answer", "b's description is an answer")
	c.eq(b.set_local_description("answer", answer[3]), OK, "b.set_local_description(answer)")
	c.eq(a.set_remote_description("answer", answer[3]), OK, "a.set_remote_description(answer)")
	# b's candidates are never delivered: a's held candidates alone must be enough for b to
	# reach a (loopback host candidates; ICE checks work from one side's candidates).
	c.ok(Check.pump([a, b], funcref(self, "_connected"), 15000), "connected with the held candidates applied")
	c.ok(Check.pump([a, b], funcref(self, "_open"), 10000), "channel open on both sides")
	var index_before_set_local = -1
	for i in range(events.size()):
		if events[i][0] == "b" and events[i][1] == "candidate":
			index_before_set_local = i
			break
	c.ok(index_before_set_local == -1 or index_before_set_local > _index_of("b", "description"),
			"b's candidates come after its answer")
	a.close()
	b.close()
	var count = events.size()
	Check.pump_for([a, b], 200)
	c.eq(events.size(), count, "no signal after close()")
	c.finish(self)


func _on_description(p_type, p_sdp, p_who):
	events.append([p_who, "description", p_type, p_sdp])


func _on_candidate(p_mid, p_index, p_name, p_who):
	events.append([p_who, "candidate", p_mid, p_index, p_name])
	if p_who == "a":
		candidates_a.append([p_mid, p_index, p_name])


func _on_channel(p_channel):
	received_b.append(p_channel)


func _count(p_who, p_what):
	var n = 0
	for e in events:
		if e[0] == p_who and e[1] == p_what:
			n += 1
	return n


func _find(p_who, p_what):
	for e in events:
		if e[0] == p_who and e[1] == p_what:
			return e
	return null


func _index_of(p_who, p_what):
	for i in range(events.size()):
		if events[i][0] == p_who and events[i][1] == p_what:
			return i
	return -1


func _has_offer():
	return _count("a", "description") > 0


func _a_has_candidates():
	return candidates_a.size() > 0


func _has_answer():
	return _count("b", "description") > 0


func _connected():
	return a.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED \
			and b.get_connection_state() == WebRTCPeerConnection.STATE_CONNECTED


func _open():
	return channel_a.get_ready_state() == WebRTCDataChannel.STATE_OPEN and received_b.size() == 1
