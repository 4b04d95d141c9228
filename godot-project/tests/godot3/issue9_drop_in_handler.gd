# Issue 9: a signal handler that drops the last reference to the connection emitting it.
# poll() emits signals one after another; when a handler frees the connection the shim must
# not touch it again (a use after free, caught by the runner's ASan pass). Each signal kind
# once: session_description_created, ice_candidate_created and data_channel_received (a
# second channel announcement waits behind the first). The peers are polled through the
# scene's own members (GDScript then holds no extra reference during the call), so the
# handler's `= null` really frees the object inside poll(): the engine says so itself.
# runner-expect: was freed or unreferenced while a signal is being emitted from it
extends "res://tests/godot3/lib/scene.gd"

var a = null # polled as `a.poll()`: this member is the only reference
var b = null
var watch = null # weakref to the connection a handler dropped
var remote_channel = null # a's channel, to see the remote end close
var dropped = 0 # handler calls that dropped a connection


func _initialize():
	c = Check.new("issue9_drop_in_handler")
	_drop_in_description()
	_drop_in_candidate()
	_drop_in_channel_received()
	c.finish(self)


func _new_peer():
	var p = WebRTCPeerConnection.new()
	c.eq(p.initialize(Check.loopback()), OK, "initialize()")
	return p


# Poll the member `a` (not through a helper that would hold a reference) until the handler
# dropped it or p_ms passes.
func _poll_a_until_dropped(p_ms):
	var deadline = OS.get_ticks_msec() + p_ms
	while a != null and OS.get_ticks_msec() < deadline:
		a.poll()
		OS.delay_msec(2)


func _poll_b_until_dropped(p_ms):
	var deadline = OS.get_ticks_msec() + p_ms
	while b != null and OS.get_ticks_msec() < deadline:
		if a != null:
			a.poll()
		b.poll()
		OS.delay_msec(2)


func _drop_a(_x = null, _y = null, _z = null):
	dropped += 1
	a = null # the last reference: the connection is freed right here, inside a.poll()


func _drop_b(_x = null, _y = null, _z = null):
	dropped += 1
	b = null


func _drop_in_description():
	dropped = 0
	a = _new_peer()
	a.create_data_channel("x", {})
	a.connect("session_description_created", self, "_drop_a")
	watch = weakref(a)
	c.eq(a.create_offer(), OK, "create_offer()")
	OS.delay_msec(300) # let the offer (and whatever follows it) queue up
	_poll_a_until_dropped(10000)
	c.eq(dropped, 1, "session_description_created: the handler ran once and dropped the connection")
	c.ok(watch.get_ref() == null, "session_description_created: the connection is freed")


# a's first candidate handler drops a while more candidates may wait behind it.
func _drop_in_candidate():
	dropped = 0
	_described = false
	a = _new_peer()
	a.create_data_channel("x", {})
	a.connect("session_description_created", self, "_set_local")
	a.connect("ice_candidate_created", self, "_drop_a")
	watch = weakref(a)
	c.eq(a.create_offer(), OK, "create_offer()")
	var deadline = OS.get_ticks_msec() + 10000
	while not _described and OS.get_ticks_msec() < deadline:
		a.poll()
		OS.delay_msec(2)
	c.ok(_described, "the offer is the local description")
	OS.delay_msec(300) # gathering: the candidates queue up
	_poll_a_until_dropped(10000)
	c.eq(dropped, 1, "ice_candidate_created: the handler ran once and dropped the connection")
	c.ok(watch.get_ref() == null, "ice_candidate_created: the connection is freed")


var _described = false


func _set_local(p_type, p_sdp):
	c.eq(a.set_local_description(p_type, p_sdp), OK, "set_local_description()")
	_described = true


func _relay_description(p_type, p_sdp, p_from):
	var from = a if p_from == "a" else b
	var to = b if p_from == "a" else a
	from.set_local_description(p_type, p_sdp)
	to.set_remote_description(p_type, p_sdp)


func _relay_candidate(p_mid, p_index, p_name, p_from):
	var to = a if p_from == "b" else b
	if to != null: # b may be gone already
		to.add_ice_candidate(p_mid, p_index, p_name)


# b drops itself in data_channel_received; then the remote's channel closes.
func _drop_in_channel_received():
	dropped = 0
	a = _new_peer()
	b = _new_peer()
	remote_channel = a.create_data_channel("first", {})
	a.create_data_channel("second", {}) # a second announcement waits behind the first
	a.connect("session_description_created", self, "_relay_description", ["a"])
	b.connect("session_description_created", self, "_relay_description", ["b"])
	a.connect("ice_candidate_created", self, "_relay_candidate", ["a"])
	b.connect("ice_candidate_created", self, "_relay_candidate", ["b"])
	b.connect("data_channel_received", self, "_drop_b")
	watch = weakref(b)
	c.eq(a.create_offer(), OK, "create_offer()")
	_poll_b_until_dropped(15000)
	c.eq(dropped, 1, "data_channel_received: the handler ran once and dropped the connection")
	c.ok(watch.get_ref() == null, "data_channel_received: the connection is freed")
	c.ok(Check.pump([a], funcref(self, "_remote_closed"), 15000), "the remote's channel closes")
	a.close()
	a = null
	remote_channel = null


func _remote_closed():
	return remote_channel.get_ready_state() == WebRTCDataChannel.STATE_CLOSED
